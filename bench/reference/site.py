"""Reference for one site end to end, single-threaded, as a numpy/scipy user writes it: what mpctl's
dataset, pulse_response, intrinsic and connection_strength modules compute for one NWB file
(mpctl: bench/single-site.ts runs the real pipeline on the same file).

1. dataset: every series read whole with h5py, then dataset_sweep.analyze_sweep per sweep
   (pulses, spikes, recording QC, test-pulse fit, response windows, measures, QC, snippets).
2. pulse_response: response_measure.measure_response of every window and its snippet as stored
   (float32, as mpctl's bytea columns hold them).
3. intrinsic: medians per cell of its recordings.
4. connection_strength, per ordered pair: fg/bg statistics (scipy.stats ks_2samp, Welch's
   ttest_ind), sign, detection score, and psp_fit.TrainFit of the pulse-aligned averages.
Left out: the model curve stored beside each average (mpctl's fitCurves, one evaluation per
pulse), the metadata modules (experiment, slice, cell_class) and the database writes.
"""
import math
import re
import sys
from collections import defaultdict

import h5py
import numpy as np
from scipy import stats

from dataset_sweep import SNIPPET_PRE, analyze_sweep
from psp_fit import TrainFit
from ref_io import jround, serve
from response_measure import measure_response

SIGN_MEASURES = ["decPosAmp", "decNegAmp", "decMeanAmp", "templateAmp"]


def read_sweeps(path, keys):
    """Per sweep number, (key, rate, command, response) per channel, SI float64; keys: AD channel -> pipette id."""
    sweeps = defaultdict(list)
    with h5py.File(path, "r") as f:
        stims = {}
        for name, g in f["stimulus/presentation"].items():
            stims[(int(g.attrs["sweep_number"]), g.get("electrode", getlink=True).path)] = g
        for name, g in f["acquisition"].items():
            sweep, electrode = int(g.attrs["sweep_number"]), g.get("electrode", getlink=True).path
            ad = re.search(r"_AD(\d+)$", name) or re.search(r"(\d+)$", electrode)
            si = lambda ds: ds[:].astype(np.float64) * float(ds.attrs.get("conversion", 1.0)) + float(ds.attrs.get("offset", 0.0))
            v = si(g["data"])
            stim = stims.get((sweep, electrode))
            cmd = si(stim["data"]) if stim is not None else np.zeros(len(v))
            n = min(len(v), len(cmd))
            sweeps[sweep].append((keys[ad.group(1)], float(g["starting_time"].attrs["rate"]), cmd[:n], v[:n]))
    return sweeps


def as_stored(x):
    """float32 as the database keeps windows and snippets, back in float64 for the arithmetic."""
    return x.astype(np.float32).astype(np.float64)


def pulse_response(responses, options):
    """measure_response of each stored window and its snippet, with the module's settings."""
    settings = (tuple(options["peakWindow"]), options["deconvolutionTau"], options["lowpass"])
    for r in responses:
        rate = r["rate"]
        r["data"] = as_stored(r["window"])
        r["strength"] = measure_response(r["data"], rate, r["pulseStart"] - r["windowStart"], r["spikeTime"] - r["windowStart"] / rate, *settings)
        r["background"] = None
        if r["snippet"] is not None:
            spike = SNIPPET_PRE + (r["spikeTime"] - r["pulseStart"] / rate)
            r["background"] = measure_response(as_stored(r["snippet"]), rate, jround(SNIPPET_PRE * rate), spike, *settings)


def welch(a, b):
    """scipy's Welch test with mpctl's conventions for samples too small or constant (stats.ts welchTTest)."""
    if len(a) < 2 or len(b) < 2:
        return math.nan, 1.0
    if np.std(a) == 0 and np.std(b) == 0:
        d = np.mean(a) - np.mean(b)
        return (0.0, 1.0) if d == 0 else (math.copysign(math.inf, d), 0.0)
    r = stats.ttest_ind(a, b, equal_var=False)
    return float(r.statistic), float(r.pvalue)


def ks_p(a, b):
    return float(stats.ks_2samp(a, b).pvalue) if len(a) and len(b) else 1.0


def fg_bg(fg, bg):
    return dict(mean=np.mean(fg) if len(fg) else math.nan, stdev=np.std(fg, ddof=1) if len(fg) > 1 else math.nan, baseMean=np.mean(bg) if len(bg) else math.nan, ttestP=welch(fg, bg)[1], ksP=ks_p(fg, bg))


def winsorize(a, b, q=0.05):
    pooled = np.sort(np.concatenate([a, b]))
    if len(pooled) < 10:
        return a, b
    lo, hi = pooled[math.floor(q * (len(pooled) - 1))], pooled[math.ceil((1 - q) * (len(pooled) - 1))]
    return np.clip(a, lo, hi), np.clip(b, lo, hi)


def train_fit(used, rate):
    """Pulse-aligned averages over the sweeps of the common protocol, fitted at once (mpctl: trainFitInput + fitPsp)."""
    at = lambda r: jround(r["windowStart"] / rate * 1e4)
    tally = defaultdict(lambda: defaultdict(int))
    for r in used:
        tally[r["pulseNumber"]][at(r)] += 1
    modal = {k: max(m.items(), key=lambda kv: kv[1])[0] for k, m in tally.items()}
    odd = {r["sweep"] for r in used if modal[r["pulseNumber"]] != at(r)}
    used = [r for r in used if r["sweep"] not in odd]
    segments, events = [], []
    for group, k in enumerate(sorted({r["pulseNumber"] for r in used})):
        rs = [r for r in used if r["pulseNumber"] == k]
        n = min(len(r["data"]) for r in rs)
        avg = np.zeros(n)
        for r in rs:  # each window minus its own pre-pulse baseline, accumulated in mpctl's order (bit-identical inputs)
            avg += (r["data"][:n] - r["strength"]["baseline"]) / len(rs)
        segments.append((np.mean([r["windowStart"] / rate for r in rs]), avg, False))
        events.append((np.mean([r["spikeTime"] for r in rs]), group))
    if not segments:
        return None
    return TrainFit(rate, segments, events, len(segments)).fit()


def analyze_pair(responses, rate):
    """mpctl's analyzePair (current clamp): statistics fg vs bg, sign, detection score, train fit."""
    used = [r for r in responses if r["exPass"] or r["inPass"]]
    if len(used) < 2:
        return None
    paired = [r for r in used if r["background"] is not None]
    col = lambda m, bg: np.array([x for x in (r["background" if bg else "strength"][m] for r in paired) if np.isfinite(x)])
    evidence = 0.0
    for m in SIGN_MEASURES:
        a, b = col(m, False), col(m, True)
        if len(a) < 2:
            continue
        p = ks_p(a, b)
        evidence += np.sign(np.mean(a) - np.mean(b)) * (7.0 if p == 0 else min(7.0, math.log(1 - math.log(p))))
    ex = evidence >= 0
    peak, lat, dec = ("posAmp", "posLatency", "decPosAmp") if ex else ("negAmp", "negLatency", "decNegAmp")
    t = welch(*winsorize(col("templateAmp", False), col("templateAmp", True)))[0]
    return dict(
        nSamples=len(used),
        nBackground=len(paired),
        synapseEx=float(ex),
        signEvidence=evidence,
        detectionScore=abs(t) if np.isfinite(t) else 0.0,
        amp=fg_bg(col(peak, False), col(peak, True)),
        decAmp=fg_bg(col(dec, False), col(dec, True)),
        latency=fg_bg(col(lat, False), col(lat, True)),
        decMean=fg_bg(col("decMeanAmp", False), col("decMeanAmp", True)),
        scoreDecMean=abs(welch(col("decMeanAmp", False), col("decMeanAmp", True))[0]),
        crosstalkMean=np.mean([r["strength"]["crosstalk"] for r in used]),
        fit=train_fit(used, rate),
    )


PAIR_COLUMNS = ["nSamples", "nBackground", "synapseEx", "signEvidence", "detectionScore", "ampMean", "latencyMean", "fitGroups", "fitAmplitude", "fitLatency", "fitRiseTime", "fitDecayTau", "fitNrmse"]
CELL_COLUMNS = ["restingPotential", "inputResistance", "membraneTau", "noiseSd", "nSweeps"]


def compute(meta, _samples):
    """meta: {nwb, experiment, keys: {AD channel: pipette id}, measure: pulse_response's CC settings}."""
    site = dict(recordings=[], responses=[])
    out = defaultdict(list)
    sweeps = read_sweeps(meta["nwb"], meta["keys"])
    for number in sorted(sweeps):
        analyze_sweep(meta["experiment"], number, sweeps[number], defaultdict(list), site)
    pulse_response(site["responses"], meta["measure"])
    out["responses"].append(len(site["responses"]))
    out["snippets"].append(sum(r["background"] is not None for r in site["responses"]))
    keys = sorted({c[0] for chans in sweeps.values() for c in chans})
    for key in keys:
        recs = [r for r in site["recordings"] if r["key"] == key and np.isfinite(r["baselinePotential"])]
        tps = [r["testPulse"] for r in recs if r["testPulse"]]
        cell = dict(restingPotential=np.median([r["baselinePotential"] for r in recs]), inputResistance=np.median([t["inputResistance"] for t in tps]) if tps else math.nan, membraneTau=np.median([t["tau"] for t in tps]) if tps else math.nan, noiseSd=np.median([r["noiseSd"] for r in recs]), nSweeps=len(recs))
        for c in CELL_COLUMNS:
            out["cell." + c].append(cell[c])
    by_pair = defaultdict(list)
    for r in sorted(site["responses"], key=lambda r: (r["sweep"], r["pulseNumber"])):
        by_pair[(r["pre"], r["post"])].append(r)
    for pre in keys:
        for post in keys:
            if pre == post:
                continue
            rs = by_pair.get((pre, post), [])
            p = analyze_pair(rs, rs[0]["rate"]) if rs else None
            f = p and p["fit"]
            row = dict(nSamples=0, nBackground=0) if p is None else dict(p, ampMean=p["amp"]["mean"], latencyMean=p["latency"]["mean"])
            if f:
                row.update(fitGroups=len(f["amplitudes"]), fitAmplitude=f["amplitudes"][0], fitLatency=f["latency"], fitRiseTime=f["riseTime"], fitDecayTau=f["decayTau"], fitNrmse=f["nrmse"])
                out["pair.fitPulseAmplitudes"].extend(f["amplitudes"])
            for c in PAIR_COLUMNS:
                out["pair." + c].append(row.get(c, math.nan))
    return out


if __name__ == "__main__":
    serve(sys.argv[1], compute)
