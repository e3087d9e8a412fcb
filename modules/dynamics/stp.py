"""Short-term plasticity of one connection (after aisynphys' dynamics module).

Ratios come from the fitted per-pulse amplitudes of the averaged train (connection_strength's
fit_pulse_amplitudes: overlapping PSPs at 50 Hz are modelled, not subtracted by eye); their
count and spread from the single trains' measured amplitudes, each normalised by the mean
first-pulse amplitude, as aisynphys normalises by the synapse's amplitude scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Pulse indices (0 = first): pulse 2, pulses 6-8 of the train, the first recovery pulse.
SECOND = 1
INDUCTION = (5, 6, 7)
FIRST_RECOVERY = 8


@dataclass
class Stp:
    paired_pulse_ratio: float | None
    ppr_n: int
    ppr_std: float | None
    induction: float | None
    induction_n: int
    induction_std: float | None
    recovery: float | None
    recovery_n: int
    recovery_std: float | None
    plasticity: str | None


def _std(values: list[float]) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) >= 2 else None


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den != 0 and np.isfinite(num) and np.isfinite(den) else None


def stp(trains: Sequence[Mapping[int, float]], fit_amplitudes: Sequence[float | None] | None) -> Stp:
    """`trains`: per train, the measured amplitude of each QC-passed pulse (signed); `fit_amplitudes`: per pulse."""
    first = [t[0] for t in trains if 0 in t]
    scale = float(np.mean(first)) if first else float("nan")

    def stage(pulses: tuple[int, ...]) -> tuple[list[float], float | None]:
        per_train = [float(np.mean([t[k] for k in pulses])) for t in trains if 0 in t and all(k in t for k in pulses)]
        measured = [x / scale for x in per_train] if scale and np.isfinite(scale) else []
        fit = fit_amplitudes
        if fit is not None and len(fit) > max(pulses) and fit[0] is not None and all(fit[k] is not None for k in pulses):
            ratio = _ratio(float(np.mean([fit[k] for k in pulses])), float(fit[0]))  # type: ignore[arg-type]
        else:
            # No usable fit: the ratio of the trains' mean amplitudes.
            ratio = float(np.mean(measured)) if measured else None
        return measured, ratio

    ppr_v, ppr = stage((SECOND,))
    ind_v, ind = stage(INDUCTION)
    rec_v, rec = stage((FIRST_RECOVERY,))
    return Stp(
        paired_pulse_ratio=ppr,
        ppr_n=len(ppr_v),
        ppr_std=_std(ppr_v),
        induction=ind,
        induction_n=len(ind_v),
        induction_std=_std(ind_v),
        recovery=rec,
        recovery_n=len(rec_v),
        recovery_std=_std(rec_v),
        plasticity=None if ppr is None else ("facilitating" if ppr > 1 else "depressing"),
    )
