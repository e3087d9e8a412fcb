"""Shared plumbing of the module references: inputs from the bench, outputs and timings back.

The bench writes `inputs.json` (metadata, offsets into the sample file) and `samples.f64`
(every array, float64, little-endian) into a directory. A reference loads them once, then
on each `run` line from stdin computes everything again and prints its CPU and wall seconds
for the computation alone (no interpreter start-up, no loading). The first run's outputs go
to `outputs.json`, keyed as the bench flattens mpctl's results.
"""
import json
import math
import os
import sys
import time

import numpy as np


def jround(x):
    """JavaScript's Math.round (half up), which mpctl's index arithmetic uses; Python's round is half-even."""
    return math.floor(x + 0.5)


def load(directory):
    with open(os.path.join(directory, "inputs.json")) as f:
        meta = json.load(f)
    samples = np.fromfile(os.path.join(directory, "samples.f64"), dtype="<f8")
    return meta, samples


def serve(directory, compute):
    """compute(meta, samples) -> {key: list of numbers}; repeated on every `run` from stdin."""
    meta, samples = load(directory)
    first = True
    for line in sys.stdin:
        if line.strip() != "run":
            continue
        c0, t0 = time.process_time(), time.perf_counter()
        out = compute(meta, samples)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        if first:
            with open(os.path.join(directory, "outputs.json"), "w") as f:
                json.dump({k: [None if not math.isfinite(v) else v for v in map(float, vs)] for k, vs in out.items()}, f)
            first = False
        print(json.dumps({"cpu": cpu, "wall": wall}), flush=True)
