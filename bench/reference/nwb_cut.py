"""Independent reference for the NWB-import benchmark: the same reads and response cutting
as mpctl's dataset step, written the way an h5py + numpy user would (aisynphys style).

Reads every series of every sweep whole (one h5py read each), converts to SI float64,
finds square pulses on the command (diff != 0), keeps presynaptic pulses that evoked a spike
(steepest rise > 30 mV/ms, pulse edges masked), cuts -10 ms..+50 ms windows (to the next
pulse) for every ordered pair of channels, and one 20 ms quiet baseline snippet per window
while quiet chunks last, each as float32 bytes. Prints counts and seconds as JSON.
"""
import json
import sys
import time

import h5py
import numpy as np

TOL = 1e-13


def square_pulses(cmd):
    """(start, stop, amplitude) of segments away from the holding level (first sample)."""
    n = len(cmd)
    edges = np.flatnonzero(np.abs(np.diff(cmd)) > TOL) + 1
    bounds = np.concatenate(([0], edges, [n]))
    levels = cmd[bounds[:-1]] - cmd[0]
    keep = np.abs(levels) > TOL
    return [(int(a), int(b), float(l)) for a, b, l, k in zip(bounds[:-1], bounds[1:], levels, keep) if k]


def spiked(v, rate, start, stop, next_start):
    lo = max(1, start - round(0.002 * rate))
    hi = min(len(v) - 1, stop + round(0.004 * rate), next_start)
    if hi - lo < 4:
        return False
    idx = np.arange(lo, hi)
    slope = (v[idx + 1] - v[idx - 1]) * 0.5 * rate
    edge = max(1, round(0.0001 * rate))
    masked = (np.abs(idx - start) <= edge) | (np.abs(idx - stop) <= edge)
    slope[masked] = -np.inf
    return slope.max() > 30.0


def quiet_chunks(busy, length, rate):
    blocked = np.zeros(length, dtype=bool)
    settle = round(0.1 * rate)
    for a, b in busy:
        blocked[max(0, a):min(length, b + settle)] = True
    size = round(0.02 * rate)
    free = np.concatenate(([False], ~blocked, [False])).astype(np.int8)
    d = np.diff(free)
    starts, stops = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    return [(s + k * size, s + (k + 1) * size) for s, e in zip(starts, stops) for k in range((e - s) // size)]


READ_SECONDS = [0.0]


def si(ds):
    t = time.perf_counter()
    conv = float(ds.attrs.get("conversion", 1.0))
    off = float(ds.attrs.get("offset", 0.0))
    out = ds[:].astype(np.float64) * conv + off
    READ_SECONDS[0] += time.perf_counter() - t
    return out


def main(path):
    t0 = time.perf_counter()
    c0 = time.process_time()
    windows = snippets = nbytes = samples = 0
    with h5py.File(path, "r") as f:
        sweeps = {}
        for name, g in f["acquisition"].items():
            sweeps.setdefault(int(g.attrs["sweep_number"]), {})[g.get("electrode", getlink=True).path] = name
        stims = {}
        for name, g in f["stimulus/presentation"].items():
            stims[(int(g.attrs["sweep_number"]), g.get("electrode", getlink=True).path)] = name
        for sweep in sorted(sweeps):
            chans = []
            for electrode in sorted(sweeps[sweep]):
                resp_g = f["acquisition"][sweeps[sweep][electrode]]
                stim_g = f["stimulus/presentation"][stims[(sweep, electrode)]]
                rate = float(resp_g["starting_time"].attrs["rate"])
                resp, cmd = si(resp_g["data"]), si(stim_g["data"])
                samples += len(resp) + len(cmd)
                pulses = square_pulses(cmd)
                stim = [p for p in pulses if p[2] > 0]
                test = next((p for p in pulses if p[2] < 0), None)
                spiking = [k for k, p in enumerate(stim) if spiked(resp, rate, p[0], p[1], stim[k + 1][0] if k + 1 < len(stim) else 1 << 62)]
                chans.append(dict(rate=rate, resp=resp, stim=stim, test=test, spiking=spiking))
            length = min(len(c["resp"]) for c in chans)
            busy = [(p[0], p[1]) for c in chans for p in c["stim"] + ([c["test"]] if c["test"] else [])]
            quiet = quiet_chunks(busy, length, chans[0]["rate"])
            for pre in chans:
                if not pre["stim"]:
                    continue
                for post in chans:
                    if post is pre:
                        continue
                    rate, v, n = post["rate"], post["resp"], len(post["resp"])
                    for k in pre["spiking"]:
                        start = pre["stim"][k][0]
                        nxt = pre["stim"][k + 1][0] if k + 1 < len(pre["stim"]) else n
                        a, b = max(0, start - round(0.01 * rate)), min(n, start + round(0.05 * rate), nxt)
                        nbytes += len(v[a:b].astype(np.float32).tobytes())
                        windows += 1
                    for a, b in quiet[:len(pre["spiking"])]:
                        nbytes += len(v[a:b].astype(np.float32).tobytes())
                        snippets += 1
    print(json.dumps(dict(windows=windows, snippets=snippets, bytes=nbytes, samples=samples, seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0, read_seconds=READ_SECONDS[0])))


if __name__ == "__main__":
    main(sys.argv[1])
