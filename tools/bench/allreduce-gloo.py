"""PyTorch Gloo peer for tools/bench/allreduce.mjs: ring all-reduce (sum of float32) bus bandwidth
and 1 KB latency with N processes over loopback TCP. Prints one JSON line on stdout.

Usage: /usr/bin/python3 allreduce-gloo.py N PORT SIZES REPS LAT_ITERS [LAT_WARMUP]   (SIZES comma-separated floats;
LAT_WARMUP calls before the latency loop, default 20). "latencyCpu": CPU seconds per 1 KB call of rank 0's process (all threads).
"""
import json
import os
import sys
import time


def worker(rank, world, port, sizes, reps, lat_iters, lat_warmup, queue):
    import torch
    import torch.distributed as dist

    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    out = {"sizes": {}}
    for n in sizes:
        t = torch.rand(n, dtype=torch.float32)
        dist.all_reduce(t)  # warm-up
        times = []
        for _ in range(reps):
            dist.barrier()
            t0 = time.perf_counter()
            dist.all_reduce(t)
            times.append(time.perf_counter() - t0)
        times.sort()
        out["sizes"][str(n)] = times[len(times) // 2]
    small = torch.rand(256, dtype=torch.float32)  # 1 KB
    for _ in range(lat_warmup):
        dist.all_reduce(small)
    dist.barrier()
    c0 = time.process_time()
    t0 = time.perf_counter()
    for _ in range(lat_iters):
        dist.all_reduce(small)
    out["latency"] = (time.perf_counter() - t0) / lat_iters
    out["latencyCpu"] = (time.process_time() - c0) / lat_iters
    if rank == 0:
        queue.put(out)
    dist.destroy_process_group()


def main():
    import torch.multiprocessing as mp

    world, port = int(sys.argv[1]), int(sys.argv[2])
    sizes = [int(s) for s in sys.argv[3].split(",")]
    reps, lat_iters = int(sys.argv[4]), int(sys.argv[5])
    lat_warmup = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=worker, args=(r, world, port, sizes, reps, lat_iters, lat_warmup, queue)) for r in range(world)]
    for p in procs:
        p.start()
    result = queue.get(timeout=600)
    for p in procs:
        p.join(timeout=60)
    result["torch"] = __import__("torch").__version__
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    main()
