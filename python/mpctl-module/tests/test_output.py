import io
import json
import math
from typing import Any

import pytest

from mpctl_module import emit, progress, to_json_value


class FakeNumpyScalar:
    def __init__(self, v: Any) -> None:
        self.v = v

    def item(self) -> Any:
        return self.v


class FakeNumpyArray:
    def __init__(self, v: list[Any]) -> None:
        self.v = v

    def tolist(self) -> list[Any]:
        return self.v


def lines(out: io.StringIO) -> list[Any]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_emit_prints_one_table_line_per_row() -> None:
    out = io.StringIO()
    emit("spike_count", {"n_pulses": 12, "note": "ok"}, out=out)
    emit("spike_count", {"n_pulses": 3, "note": None}, out=out)
    assert lines(out) == [
        {"table": "spike_count", "row": {"n_pulses": 12, "note": "ok"}},
        {"table": "spike_count", "row": {"n_pulses": 3, "note": None}},
    ]
    assert out.getvalue().count("\n") == 2


def test_non_finite_numbers_become_null_and_numpy_values_plain_json() -> None:
    out = io.StringIO()
    row = {"a": math.nan, "b": math.inf, "c": FakeNumpyScalar(2.5), "d": FakeNumpyArray([1.0, math.nan]), "e": True}
    emit("t", row, out=out)
    assert lines(out) == [{"table": "t", "row": {"a": None, "b": None, "c": 2.5, "d": [1.0, None], "e": True}}]


def test_real_numpy_values() -> None:
    import numpy as np  # a test requirement, not a dependency of the helper

    assert to_json_value({"x": np.float32(0.5), "y": np.arange(3), "z": np.float64("nan")}) == {
        "x": 0.5,
        "y": [0, 1, 2],
        "z": None,
    }


def test_unknown_values_and_bad_rows_are_refused() -> None:
    with pytest.raises(TypeError, match="object"):
        emit("t", {"x": object()}, out=io.StringIO())
    with pytest.raises(TypeError, match="mapping"):
        emit("t", [1, 2], out=io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="table"):
        emit("", {}, out=io.StringIO())


def test_progress_is_clamped_and_finite() -> None:
    out = io.StringIO()
    progress(0.4, out=out)
    progress(1.7, out=out)
    progress(-1, out=out)
    assert lines(out) == [{"progress": 0.4}, {"progress": 1.0}, {"progress": 0.0}]
    with pytest.raises(ValueError):
        progress(math.nan, out=io.StringIO())
