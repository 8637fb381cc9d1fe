#!/usr/bin/python3
"""The peer of log-mel.bench.ts: times torchaudio's MelSpectrogram + AmplitudeToDB on 1 s of 16 kHz
audio, on one thread (per-core throughput, as the JS side runs), and prints JSON on stdout: the best
mean wall time per call and the best mean CPU time of the process per call (less sensitive to other
processes on a shared core).

    /usr/bin/python3 libs/audio/bench/torchaudio-log-mel.py '<configs as JSON>'
"""
import json
import sys
import time

import torch
import torchaudio.transforms as T

torch.set_num_threads(1)
configs = json.loads(sys.argv[1])
x = torch.randn(16000) * 0.1
results = []
for c in configs:
    mel = T.MelSpectrogram(sample_rate=16000, n_fft=c['nFft'], hop_length=c['hopLength'], n_mels=c['nMels'])
    to_db = T.AmplitudeToDB('power', top_db=80.0)
    with torch.inference_mode():
        for _ in range(50):
            to_db(mel(x))
        best = float('inf')
        best_cpu = float('inf')
        for _ in range(5):
            n = 200
            start = time.perf_counter()
            start_cpu = time.process_time()
            for _ in range(n):
                to_db(mel(x))
            best = min(best, (time.perf_counter() - start) / n)
            best_cpu = min(best_cpu, (time.process_time() - start_cpu) / n)
    results.append({'name': c['name'], 'msPerSecondOfAudio': best * 1000, 'cpuMsPerSecondOfAudio': best_cpu * 1000})
print(json.dumps({'torch': torch.__version__, 'results': results}))
