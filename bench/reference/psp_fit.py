"""Reference for the connection_strength module's train fit: a sum of PSPs with shared kinetics
(latency, rise, decay, onset exponent) on per-segment baselines plus one shared relaxing
exponential, fitted by variable projection as a numpy/scipy user writes it (mpctl: fitPsp in
src/analysis/psp-fit.ts).

For each kinetic guess the design matrix [PSP per group | constant per segment | drift] is
built whole and the linear part solved by np.linalg.lstsq; the kinetics come from a coarse
grid, then scipy.optimize.minimize(method='Nelder-Mead') from the grid's best with mpctl's
simplex (0.3 steps in ms / log-ms), evaluation budget and box penalty.
"""
import math
import sys

import numpy as np
from scipy.optimize import minimize

from psp_shape import psp_shape, psp_value
from ref_io import jround, serve

FIT_RATE = 2500
RISE_RANGE = (0.3e-3, 4.5e-3)
DECAY_RANGE = (2e-3, 120e-3)
EXPONENT_RANGE = (1.0, 2.0)
DRIFT_TAU_RANGE = (8e-3, 200e-3)
CAP_GROWTH = 0.5


def rise_range(p):
    return RISE_RANGE[0], RISE_RANGE[1] * (1 + CAP_GROWTH * (2.0 - p))


class TrainFit:
    def __init__(self, rate, segments, events, n_groups, latency_range=(0.5e-3, 6e-3), onset_exponent=None, baseline_drift=True):
        f = max(1, jround(rate / FIT_RATE))
        times, values, seg_of, self.zero = [], [], [], []
        for s, (start, data, baseline_zero) in enumerate(segments):
            n = len(data) // f
            values.append(data[: n * f].reshape(n, f).mean(axis=1))
            times.append(start + (np.arange(n) * f + (f - 1) / 2) / rate)
            seg_of.append(np.full(n, s))
            self.zero.append(baseline_zero)
        self.t, self.y = np.concatenate(times), np.concatenate(values)
        self.step = f / rate
        self.offsets = (np.arange(f) - (f - 1) / 2) / rate
        self.t00 = min(t[0] for t in times if len(t))
        constants = (np.concatenate(seg_of)[:, None] == np.arange(len(segments))[None, :]).astype(float)
        constants[:, np.array(self.zero, dtype=bool)] = 0.0  # a zero baseline is not fitted: its column stays empty
        self.constants = constants
        self.event_t = np.array([e[0] for e in events])
        self.groups = (np.array([e[1] for e in events])[:, None] == np.arange(n_groups)[None, :]).astype(float)
        self.n_groups, self.n_seg = n_groups, len(segments)
        self.lat_range, self.fixed_p, self.drift = latency_range, onset_exponent, baseline_drift

    def kernels(self, k):
        """Per sample and event the unit PSP; blocks through the rise are block means of the kernel, as the data are."""
        lat, rise, decay, p, _ = k
        shape = psp_shape(rise, decay, p)
        T = self.t[:, None] - (self.event_t + lat)[None, :]
        centre = psp_value(shape, T)
        if len(self.offsets) == 1:
            return centre
        half = self.offsets[-1]
        near = (T > -half) & (T < rise + half + self.step)  # the blocks holding the onset through the rise
        block = psp_value(shape, T[near][:, None] + self.offsets[None, :]).mean(axis=1)
        centre[near] = block
        return centre

    def solve(self, k):
        cols = [self.kernels(k) @ self.groups, self.constants]
        if self.drift:
            cols.append(np.exp(-(self.t - self.t00) / k[4])[:, None])
        A = np.hstack(cols)
        beta = np.linalg.lstsq(A, self.y, rcond=None)[0]
        r = self.y - A @ beta
        return float(r @ r), beta

    def clamp(self, lat, rise, decay, p, tau):
        box = lambda x, r: min(r[1], max(r[0], x))
        p = self.fixed_p if self.fixed_p is not None else box(p, EXPONENT_RANGE)
        return (box(lat, self.lat_range), box(rise, rise_range(p)), box(decay, DECAY_RANGE), p, box(tau, DRIFT_TAU_RANGE) if self.drift else math.nan)

    def to_search(self, k):
        x = [k[0] * 1e3, math.log(k[1] * 1e3), math.log(k[2] * 1e3)]
        return x + ([k[3]] if self.fixed_p is None else []) + ([math.log(k[4] * 1e3)] if self.drift else [])

    def from_search(self, x):
        i = 3
        p = self.fixed_p
        if p is None:
            p, i = x[3], 4
        return (x[0] / 1e3, math.exp(x[1]) / 1e3, math.exp(x[2]) / 1e3, p, math.exp(x[i]) / 1e3 if self.drift else math.nan)

    def objective(self, x):
        raw = self.from_search(x)
        k = self.clamp(*raw)
        out = abs(raw[0] - k[0]) * 1e3 + abs(math.log(raw[1] / k[1])) + abs(math.log(raw[2] / k[2])) + abs(raw[3] - k[3])
        if self.drift:
            out += abs(math.log(raw[4] / k[4]))
        return self.solve(k)[0] * (1 + out)

    def fit(self):
        lo, hi = self.lat_range
        grid = [self.clamp(lat, rise, decay, 1.5, 40e-3) for lat in np.arange(lo, hi + 1e-12, 1e-3) for rise in (0.8e-3, 1.8e-3, 3.5e-3) for decay in (6e-3, 15e-3, 35e-3)]
        best = min(grid, key=lambda k: self.solve(k)[0])
        x0 = np.array(self.to_search(best))
        simplex = np.vstack([x0, x0 + 0.3 * np.eye(len(x0))])
        scale = self.objective(x0) or 1.0
        # mpctl stops when the simplex's values agree to 1e-10 of the best: fatol on the objective scaled by its start.
        res = minimize(lambda x: self.objective(x) / scale, x0, method="Nelder-Mead", options=dict(initial_simplex=simplex, maxfev=60 + 30 * len(x0), xatol=np.inf, fatol=1e-10))
        k = self.clamp(*self.from_search(res.x))
        sse, beta = self.solve(k)
        residual_sd = math.sqrt(max(0.0, sse) / len(self.y))
        return dict(
            amplitudes=beta[: self.n_groups],
            baselines=beta[self.n_groups : self.n_groups + self.n_seg],
            latency=k[0], riseTime=k[1], decayTau=k[2], onsetExponent=k[3],
            driftAmplitude=beta[-1] if self.drift else 0.0, driftTau=k[4],
            sse=sse, residualSd=residual_sd, nrmse=residual_sd / math.sqrt(max(1e-30, np.var(self.y))),
        )


SCALARS = ["latency", "riseTime", "decayTau", "onsetExponent", "driftAmplitude", "driftTau", "residualSd", "nrmse"]


def compute(meta, samples):
    """Every fit of meta['fits'] ({rate, nGroups, segments: [{start, offset, length}], events: [{time, group}]}), in order."""
    out = {k: [] for k in SCALARS + ["amplitudes", "baselines"]}
    for f in meta["fits"]:
        segments = [(s["start"], samples[s["offset"] : s["offset"] + s["length"]], bool(s.get("baselineZero"))) for s in f["segments"]]
        r = TrainFit(f["rate"], segments, [(e["time"], e["group"]) for e in f["events"]], f["nGroups"]).fit()
        for k in SCALARS:
            out[k].append(r[k])
        out["amplitudes"].extend(r["amplitudes"])
        out["baselines"].extend(r["baselines"])
    return out


if __name__ == "__main__":
    serve(sys.argv[1], compute)
