"""The PSP kernel (1 - e^{-t/τr})^p · e^{-t/τd}, scaled to a unit peak, parameterised by onset→peak
rise time as neuroanalysis' psp_func is (mpctl's src/analysis/psp-model.ts)."""
import math

import numpy as np


def rise_tau_for(rise_time, decay_tau, p=2.0):
    """τr whose kernel peaks `rise_time` after onset: scipy's brentq on the peak condition."""
    from scipy.optimize import brentq

    g = lambda tr: p * decay_tau * math.exp(-rise_time / tr) - tr * (1 - math.exp(-rise_time / tr))
    lo, hi = rise_time / 60, rise_time * 4
    if g(hi) < 0:
        return hi  # rise slower than the decay allows: the slowest shape, as mpctl clamps it
    return brentq(g, lo, hi, xtol=1e-15, rtol=1e-15)


def psp_shape(rise_time, decay_tau, p=2.0):
    """(τr, τd, p, norm) with norm = 1 / peak value."""
    tr = rise_tau_for(rise_time, decay_tau, p)
    tp = rise_time
    if tr >= rise_time * 4 - 1e-12:
        t = np.arange(0, 10 * decay_tau, tr / 200)
        tp = t[np.argmax((1 - np.exp(-t / tr)) ** p * np.exp(-t / decay_tau))]
    peak = (1 - math.exp(-tp / tr)) ** p * math.exp(-tp / decay_tau)
    return tr, decay_tau, p, 1 / peak


def psp_value(shape, t):
    """Unit-peak kernel at times t after onset (0 before it)."""
    tr, td, p, norm = shape
    t = np.asarray(t, dtype=float)
    tt = np.maximum(t, 0)
    return np.where(t > 0, norm * (1 - np.exp(-tt / tr)) ** p * np.exp(-tt / td), 0.0)
