import math

import pytest

from stp import stp


def trains_from(factors: list[float], n: int, amp: float = 1e-3) -> list[dict[int, float]]:
    # Alternating ±10 % per train: a known spread around the true factors.
    return [{k: amp * f * (1.1 if t % 2 else 0.9) for k, f in enumerate(factors)} for t in range(n)]


DEPRESSING = [1.0, 0.6, 0.5, 0.45, 0.42, 0.4, 0.4, 0.4, 0.8, 0.6, 0.55, 0.5]
FACILITATING = [1.0, 1.4, 1.6, 1.7, 1.75, 1.8, 1.8, 1.8, 1.2, 1.3, 1.3, 1.3]


def test_ratios_from_the_fitted_amplitudes_counts_and_spread_from_the_trains() -> None:
    fit = [2e-3 * f for f in DEPRESSING]
    r = stp(trains_from(DEPRESSING, 6), fit)
    assert r.paired_pulse_ratio == pytest.approx(0.6)
    assert r.induction == pytest.approx(0.4)
    assert r.recovery == pytest.approx(0.8)
    assert (r.ppr_n, r.induction_n, r.recovery_n) == (6, 6, 6)
    # Each train's pulse 2 over the mean first pulse: 0.6·0.9 and 0.6·1.1, three each.
    assert r.ppr_std == pytest.approx(0.6 * 0.1 * math.sqrt(6 / 5))
    assert r.plasticity == "depressing"


def test_facilitating_and_inhibitory_signs() -> None:
    fit = [-1e-3 * f for f in FACILITATING]
    r = stp([{k: -a for k, a in t.items()} for t in trains_from(FACILITATING, 4)], fit)
    assert r.paired_pulse_ratio == pytest.approx(1.4)
    assert r.induction == pytest.approx(1.8)
    assert r.plasticity == "facilitating"


def test_without_a_fit_the_trains_give_the_ratios() -> None:
    r = stp(trains_from(FACILITATING, 4), None)
    assert r.paired_pulse_ratio == pytest.approx(1.4)
    assert r.recovery == pytest.approx(1.2)


def test_missing_pulses_are_left_out_of_their_stage_only() -> None:
    trains = trains_from(DEPRESSING, 4)
    del trains[0][6]  # one train lacks pulse 7: not counted for induction
    del trains[1][1]  # another lacks pulse 2
    r = stp(trains, [1e-3 * f for f in DEPRESSING])
    assert (r.ppr_n, r.induction_n, r.recovery_n) == (3, 3, 4)


def test_no_trains_and_no_fit_gives_nulls_not_errors() -> None:
    r = stp([], None)
    assert r.paired_pulse_ratio is None and r.ppr_n == 0 and r.ppr_std is None and r.plasticity is None
