"""Reference for the pulse_response module: aisynphys' pulse_response_strength measures of each
response window and its background snippet, the way a numpy/scipy user writes them
(mpctl: measureResponse in src/analysis/response-measure.ts).

Per window: baseline = histogram mode before the pulse, peaks 1–6 ms after the spike,
exponential deconvolution (v + τ dv/dt, scipy's zero-phase Butterworth low-pass), its peaks
and mean, crosstalk at the pulse, and a matched-filter amplitude (least squares on
[1, t, PSP template]).
"""
import functools
import sys

import numpy as np
from scipy.signal import butter, filtfilt

from psp_shape import psp_shape, psp_value
from ref_io import jround, serve

MEASURES = ["baseline", "posAmp", "negAmp", "posLatency", "negLatency", "decPosAmp", "decNegAmp", "decMeanAmp", "templateAmp", "crosstalk"]
TEMPLATE = psp_shape(2e-3, 20e-3)


def float_mode(x):
    """Mode of a sqrt(n)-bin histogram (4–200 bins), averaged with its neighbours by count."""
    n = len(x)
    if n == 0:
        return np.nan
    if n < 8:
        return float(np.median(x))
    lo, hi = x.min(), x.max()
    if hi == lo:
        return float(lo)
    bins = max(4, min(200, jround(np.sqrt(n))))
    width = (hi - lo) / bins
    counts = np.bincount(np.minimum(bins - 1, np.floor((x - lo) / width).astype(np.int64)), minlength=bins)
    best = int(np.argmax(counts))
    near = np.arange(max(0, best - 1), min(bins - 1, best + 1) + 1)
    return float(np.sum(counts[near] * (lo + (near + 0.5) * width)) / np.sum(counts[near]))


def lowpass(x, rate, cutoff):
    """2nd-order Butterworth run forward and back, started in steady state at the edge values (no padding)."""
    if cutoff >= rate / 2:
        return x
    return filtfilt(*_butter(cutoff / (rate / 2)), x, padtype=None)


@functools.lru_cache
def _butter(wn):
    return butter(2, wn)


def deconvolve(x, rate, tau, cutoff):
    return lowpass(x + tau * rate * np.gradient(x), rate, cutoff)


def template_amplitude(data, rate, spike_time, template=TEMPLATE, latency=1.75e-3):
    i0 = max(0, jround((spike_time - 0.004) * rate))
    i1 = min(len(data), jround((spike_time + 0.008) * rate))
    t = np.arange(i0, i1) / rate - spike_time
    design = np.column_stack([np.ones_like(t), t, psp_value(template, t - latency)])
    if len(t) == 0 or not np.any(design[:, 2]):
        return 0.0
    return float(np.linalg.lstsq(design, data[i0:i1], rcond=None)[0][2])


def measure_response(data, rate, pulse_index, spike_time, peak_window=(0.001, 0.006), tau=0.015, cutoff=1000.0):
    w0, w1 = peak_window
    n = len(data)
    base_end = max(1, pulse_index - jround(50e-6 * rate))
    baseline = float_mode(data[:base_end])
    i0 = min(n - 1, jround((spike_time + w0) * rate))
    i1 = min(n, jround((spike_time + w1) * rate) + 1)
    seg = data[i0:max(i0 + 1, i1)]
    max_i, min_i = i0 + int(np.argmax(seg)), i0 + int(np.argmin(seg))
    dec = deconvolve(data, rate, tau, cutoff)
    d0 = min(n - 1, jround((spike_time + 0.0005) * rate))
    d1 = min(n, jround((spike_time + w1 - 0.001) * rate) + 1)
    d = dec[d0:d1] - np.median(dec[:base_end])
    n200 = max(1, jround(200e-6 * rate))
    after, before = data[pulse_index:pulse_index + n200], data[max(0, pulse_index - n200):pulse_index]
    crosstalk = np.median(after) - np.median(before) if len(after) and len(before) else 0.0
    return {
        "baseline": baseline,
        "posAmp": data[max_i] - baseline,
        "negAmp": data[min_i] - baseline,
        "posLatency": max_i / rate - spike_time,
        "negLatency": min_i / rate - spike_time,
        "decPosAmp": d.max() if len(d) else -np.inf,
        "decNegAmp": d.min() if len(d) else np.inf,
        "decMeanAmp": d.mean() if len(d) else 0.0,
        "templateAmp": template_amplitude(data, rate, spike_time),
        "crosstalk": crosstalk if np.isfinite(crosstalk) else 0.0,
    }


def compute(meta, samples):
    """Every window of meta['windows'] ({offset, length, rate, pulseIndex, spikeTime}), measured in order."""
    out = {m: [] for m in MEASURES}
    opts = meta["options"]
    for w in meta["windows"]:
        data = samples[w["offset"]:w["offset"] + w["length"]]
        r = measure_response(data, w["rate"], w["pulseIndex"], w["spikeTime"], tuple(opts["peakWindow"]), opts["deconvolutionTau"], opts["lowpass"])
        for m in MEASURES:
            out[m].append(r[m])
    return out


if __name__ == "__main__":
    serve(sys.argv[1], compute)
