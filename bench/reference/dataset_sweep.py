"""Reference for the dataset module's per-sweep analysis (current clamp), as a numpy/scipy user
writes it (mpctl: analyzeSweep in src/analysis/analyze-sweep.ts): square pulses of each command,
the evoked spike of each stimulus pulse, quiet chunks, recording QC, the test-pulse charging fit,
and every (pre, post, pulse) response window with its measures, QC and matched background
snippet (seeded by SHA-1 of "experiment sweep pre post", as aisynphys does).
"""
import hashlib
import sys

import numpy as np

from nwb_cut import quiet_chunks, square_pulses
from ref_io import jround, serve
from response_measure import MEASURES, float_mode, lowpass, measure_response

SNIPPET_PRE = 0.01


def stim_pulses(pulses, rate):
    """Positive pulses, without an inserted test pulse (the first pulse when ≥ 5 ms and not alone)."""
    return [p for i, p in enumerate(pulses) if p[2] > 0 and not (i == 0 and (p[1] - p[0]) / rate >= 0.005 and len(pulses) > 1)]


def evoked_spike(v, rate, pulse, next_start):
    """Steepest rise (> 30 mV/ms, pulse edges masked) from onset −2 ms to end +4 ms; onset where d²V/dt² ≥ 40e3 V/s² begins."""
    start, stop, _ = pulse
    lo = max(1, start - jround(0.002 * rate))
    hi = min(len(v) - 1, stop + jround(0.004 * rate), next_start)
    if hi - lo < 4:
        return None
    idx = np.arange(lo, hi)
    slope = (v[idx + 1] - v[idx - 1]) * 0.5 * rate
    edge = max(1, jround(0.0001 * rate))
    slope[(np.abs(idx - start) <= edge) | (np.abs(idx - stop) <= edge)] = -np.inf
    best = int(np.argmax(slope))
    if slope[best] < 30:
        return None
    best += lo
    chunk = lowpass(v[lo - 1 : hi + 1], rate, min(5000, rate / 4))
    d2 = (chunk[2:] - 2 * chunk[1:-1] + chunk[:-2]) * rate * rate  # d2[i - lo] belongs to sample i
    below = np.flatnonzero(d2[1 : best - lo] < 40e3)  # samples lo+1 … best-1
    onset = lo + 2 + below[-1] if len(below) else (lo + 1 if best - 1 > lo else best)
    falls = np.flatnonzero(np.diff(v[best:]) < 0)
    peak = best + int(falls[0]) if len(falls) else len(v) - 1
    return dict(onsetIndex=int(onset), maxSlopeTime=best / rate, maxSlope=float(slope[best - lo]), peakTime=peak / rate, peakValue=float(v[peak]))


def recording_qc(v, quiet):
    if not quiet:
        return np.nan, np.nan, False
    baseline = float_mode(np.concatenate([v[a:b] for a, b in quiet]))
    noise = sorted(np.std(v[a:b], ddof=1) for a, b in quiet)[len(quiet) // 2]
    ok = -0.085 <= baseline <= -0.045 and noise <= 0.005 and np.count_nonzero(v == 0) <= 0.1 * len(v)
    return baseline, noise, ok


def fit_test_pulse(v, rate, pulse):
    """V0 + ΔV(1 − e^{−t/τ}) over the pulse (from 0.2 ms): a τ grid (2–100 ms, ×1.03), ΔV and V0 by least squares for all τ at once."""
    start, stop, amplitude = pulse
    pre = jround(0.01 * rate)
    if start - pre < 0 or stop > len(v):
        return None
    baseline = float_mode(v[start - pre : start])
    first = start + max(1, jround(0.0002 * rate))
    n = stop - first
    if n < 10:
        return None
    taus = [0.002]
    while taus[-1] * 1.03 <= 0.1:
        taus.append(taus[-1] * 1.03)
    taus = np.array(taus)
    y = v[first:stop] - v[first]  # relative to the first sample, so the residual does not cancel against Σy²
    g = 1 - np.exp(-((first - start + np.arange(n)) / rate)[None, :] / taus[:, None])
    sg, sgg, sgy, sy = g.sum(1), (g * g).sum(1), g @ y, y.sum()
    det = n * sgg - sg * sg
    dv = (n * sgy - sg * sy) / det
    v0 = (sy - dv * sg) / n
    sse = y @ y - v0 * sy - dv * sgy
    b = int(np.argmin(np.where(det != 0, sse, np.inf)))
    return dict(inputResistance=(v0[b] + v[first] + dv[b] - baseline) / amplitude, tau=taus[b], baseline=baseline)


def seed_of(key):
    return int.from_bytes(hashlib.sha1(key.encode()).digest()[:4], "big")


def assign_baselines(responses, n_chunks, key):
    """Fisher–Yates with mpctl's 32-bit xorshift (seeded by SHA-1 of the key), then one chunk per response."""
    order = list(range(n_chunks))
    s = seed_of(key) or 0x9E3779B9
    for i in range(n_chunks - 1, 0, -1):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        j = s % (i + 1)
        order[i], order[j] = order[j], order[i]
    return [order[r] if r < n_chunks else -1 for r in range(responses)]


def response_qc(data, rate, baseline, previous_dt, recording_pass):
    n5 = min(len(data), jround(0.005 * rate))
    ok = recording_pass and previous_dt >= 0.008 and not (np.std(data[:n5], ddof=1) > 1.5e-3)
    ok = ok and data.max() <= -0.04 and data.max() - baseline <= 0.01 and baseline - data.min() <= 0.01
    passed = ok and -0.085 <= baseline <= -0.045
    return passed, passed


def analyze_sweep(experiment, sweep_number, channels, out, site=None):
    """Appends the sweep's columns to `out`; with `site` ({recordings: [], responses: []}) also what the later modules read (site.py)."""
    chans = []
    for key, rate, cmd, v in channels:
        pulses = square_pulses(cmd)
        stim = stim_pulses(pulses, rate)
        test = next((p for p in pulses if p[2] < 0), None)
        spikes = [evoked_spike(v, rate, p, stim[k + 1][0] if k + 1 < len(stim) else 1 << 62) for k, p in enumerate(stim)]
        chans.append(dict(key=key, rate=rate, v=v, stim=stim, test=test, spikes=spikes))
    busy = [(p[0], p[1]) for c in chans for p in c["stim"] + ([c["test"]] if c["test"] else [])]
    quiet = quiet_chunks(busy, min(len(c["v"]) for c in chans), chans[0]["rate"])
    out["quietChunks"].append(len(quiet))
    for c in chans:
        c["baseline"], noise, c["pass"] = recording_qc(c["v"], quiet)
        tp = fit_test_pulse(c["v"], c["rate"], c["test"]) if c["test"] else None
        for k, x in [("baselinePotential", c["baseline"]), ("noiseSd", noise), ("qcPass", c["pass"])] + [("tp." + k, tp[k] if tp else np.nan) for k in ("inputResistance", "tau", "baseline")]:
            out["rec." + k].append(x)
        if site is not None:
            site["recordings"].append(dict(key=c["key"], baselinePotential=c["baseline"], noiseSd=noise, testPulse=tp))
    for c in chans:
        for k, (p, s) in enumerate(zip(c["stim"], c["spikes"])):
            for name, x in [("start", p[0]), ("stop", p[1]), ("amplitude", p[2])] + [(f, s[f] if s else np.nan) for f in ("onsetIndex", "maxSlopeTime", "maxSlope", "peakTime", "peakValue")]:
                out["stim." + name].append(x)
    for pre in chans:
        if not pre["stim"]:
            continue
        for post in chans:
            if post is pre:
                continue
            spiking = [k for k, s in enumerate(pre["spikes"]) if s]
            chunk_of = assign_baselines(len(spiking), len(quiet), f"{experiment} {sweep_number} {pre['key']} {post['key']}")
            rate, v = post["rate"], post["v"]
            for n, k in enumerate(spiking):
                start, spike = pre["stim"][k][0], pre["spikes"][k]["maxSlopeTime"]
                nxt = pre["stim"][k + 1][0] if k + 1 < len(pre["stim"]) else 1 << 62
                a, b = max(0, start - jround(0.01 * rate)), min(len(v), start + jround(0.05 * rate), nxt)
                data = v[a:b]
                fg = measure_response(data, rate, start - a, spike - a / rate)
                prev = (start - pre["stim"][k - 1][0]) / rate if k > 0 else np.inf
                ex, inh = response_qc(data, rate, fg["baseline"], prev, post["pass"])
                ch = chunk_of[n]
                bg = measure_response(v[quiet[ch][0] : quiet[ch][1]], rate, jround(SNIPPET_PRE * rate), SNIPPET_PRE + (spike - start / rate)) if ch >= 0 else None
                for name, x in [("windowStart", a), ("windowStop", b), ("pulseNumber", k), ("exPass", ex), ("inPass", inh), ("baselineChunk", ch)]:
                    out["resp." + name].append(x)
                for m in MEASURES:
                    out["resp." + m].append(fg[m])
                    out["resp.bg." + m].append(bg[m] if bg else np.nan)
                if site is not None:
                    site["responses"].append(dict(pre=pre["key"], post=post["key"], sweep=sweep_number, pulseNumber=k, rate=rate, windowStart=a, pulseStart=start, spikeTime=spike, window=data, snippet=v[quiet[ch][0] : quiet[ch][1]] if ch >= 0 else None, exPass=ex, inPass=inh))


def compute(meta, samples):
    """meta: {experiment, sweeps: [{sweepNumber, channels: [{key, rate, command: [offset, length], response: [offset, length]}]}]}."""
    from collections import defaultdict

    out = defaultdict(list)
    arr = lambda ol: samples[ol[0] : ol[0] + ol[1]]
    for s in meta["sweeps"]:
        analyze_sweep(meta["experiment"], s["sweepNumber"], [(c["key"], c["rate"], arr(c["command"]), arr(c["response"])) for c in s["channels"]], out)
    return out


if __name__ == "__main__":
    serve(sys.argv[1], compute)
