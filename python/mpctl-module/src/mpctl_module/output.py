"""Result rows and progress as the stdout lines mpctl reads."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from typing import Any, TextIO


def to_json_value(value: Any) -> Any:
    """Plain JSON for a row value: numpy scalars and arrays become numbers and lists, NaN and ±inf None."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_value(v) for v in value]
    # numpy without importing it: arrays have tolist(), scalars item().
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return to_json_value(tolist())
    item = getattr(value, "item", None)
    if callable(item):
        return to_json_value(item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot send a {type(value).__name__} as JSON: {value!r}")


def _write(line: Mapping[str, Any], out: TextIO | None) -> None:
    stream = out if out is not None else sys.stdout
    stream.write(json.dumps(line, allow_nan=False, separators=(",", ":")) + "\n")
    # mpctl reads rows as they arrive; an unflushed buffer would hold them until exit.
    stream.flush()


def emit(table: str, row: Mapping[str, Any], out: TextIO | None = None) -> None:
    """Prints one result row of `table` (a table the manifest declares)."""
    if not isinstance(table, str) or not table:
        raise ValueError("emit: table must be a non-empty string")
    if not isinstance(row, Mapping):
        raise TypeError(f"emit: the row of {table} must be a mapping, not {type(row).__name__}")
    _write({"table": table, "row": to_json_value(row)}, out)


def progress(fraction: float, out: TextIO | None = None) -> None:
    """Reports progress, clamped to 0…1."""
    x = float(fraction)
    if not math.isfinite(x):
        raise ValueError(f"progress must be a finite number, not {fraction!r}")
    _write({"progress": min(1.0, max(0.0, x))}, out)
