"""Test oracle: reads an Omnitrain TensorBoard folder with TensorBoard's own Python code.

Usage: read-with-tensorboard.py <tensorboard dir>. Prints JSON: per sub-folder (run) the images
(step, width, height as Pillow decodes them), audio (step, sample rate, content type) and texts;
the hparams session start values, the experiment's metric names and the session end status; and
what a real TensorBoard server's hparams plugin lists (its session groups), as `served`.
"""
import io
import json
import os
import sys
import threading
import urllib.request

from google.protobuf import json_format
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.plugins.hparams import api_pb2, metadata
from tensorboard.util import tensor_util

root = sys.argv[1]
report = {"runs": {}}
for sub in ["", "train", "val"]:
    folder = os.path.join(root, sub)
    if not os.path.isdir(folder):
        continue
    acc = event_accumulator.EventAccumulator(folder, size_guidance={"images": 0, "audio": 0, "tensors": 0, "scalars": 0})
    acc.Reload()
    tags = acc.Tags()
    run = {"images": {}, "audio": {}, "texts": {}, "scalars": sorted(tags["scalars"])}
    for tag in tags["images"]:
        run["images"][tag] = [[e.step, *Image.open(io.BytesIO(e.encoded_image_string)).size] for e in acc.Images(tag)]
    for tag in tags["audio"]:
        run["audio"][tag] = [[e.step, e.sample_rate, e.content_type] for e in acc.Audio(tag)]
    for tag in tags["tensors"]:
        plugin = acc.SummaryMetadata(tag).plugin_data
        if plugin.plugin_name == "text":
            run["texts"][tag] = [tensor_util.make_ndarray(e.tensor_proto).item().decode("utf8") for e in acc.Tensors(tag)]
        elif tag == metadata.SESSION_START_INFO_TAG:
            start = metadata.parse_session_start_info_plugin_data(plugin.content)
            report["sessionStart"] = {k: json_format.MessageToDict(v) for k, v in start.hparams.items()}
        elif tag == metadata.EXPERIMENT_TAG:
            experiment = metadata.parse_experiment_plugin_data(plugin.content)
            report["experimentMetrics"] = [m.name.group + "/" + m.name.tag for m in experiment.metric_infos]
        elif tag == metadata.SESSION_END_INFO_TAG:
            end = metadata.parse_session_end_info_plugin_data(plugin.content)
            report["status"] = api_pb2.Status.Name(end.status)
    report["runs"][sub or "."] = run

if "--serve" in sys.argv:
    # A real TensorBoard on the parent folder (the run folder), asked what its HParams tab lists.
    from tensorboard import program

    tb = program.TensorBoard()
    tb.configure(argv=[None, "--logdir", os.path.dirname(os.path.abspath(root)), "--port", "0", "--load_fast", "false", "--bind_all"] if False else [None, "--logdir", os.path.dirname(os.path.abspath(root)), "--port", "0", "--load_fast", "false", "--host", "127.0.0.1"])
    url = tb.launch()
    body = json.dumps({"experiment_name": "", "allowed_statuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"], "col_params": [], "start_index": 0, "slice_size": 100, "include_metrics": True}).encode()
    req = urllib.request.Request(url + "data/plugin/hparams/session_groups", data=body, headers={"content-type": "application/json", "X-TensorBoard-Feature-Flags": "{}"})
    report["served"] = json.loads(urllib.request.urlopen(req, timeout=30).read())
    exp_req = urllib.request.Request(url + "data/plugin/hparams/experiment", data=json.dumps({"experiment_name": "", "include_metrics": True}).encode(), headers={"content-type": "application/json"})
    report["servedExperiment"] = json.loads(urllib.request.urlopen(exp_req, timeout=30).read())

json.dump(report, sys.stdout)
