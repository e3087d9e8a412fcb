"""The job mpctl hands a module: on stdin and in the file named by MPCTL_JOB_FILE."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .errors import BadInput
from .output import emit as _emit
from .output import progress as _progress

_REQUIRED = ("module", "jobId", "experimentDir", "params", "databaseUrl", "outputDir")


@dataclass
class Job:
    module: str
    job_id: str
    experiment_id: str
    experiment_dir: Path
    params: dict[str, Any]
    database_url: str
    output_dir: Path
    version: str | None = None
    attempt: int = 1
    tables: dict[str, Any] = field(default_factory=dict)
    upstream: dict[str, Any] = field(default_factory=dict)
    # The whole object as it arrived, for keys this version of the helper does not know.
    raw: dict[str, Any] = field(default_factory=dict)
    _connection: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any, source: str = "job") -> Job:
        if not isinstance(data, dict):
            raise BadInput(f"{source}: the job must be a JSON object")
        missing = [k for k in _REQUIRED if k not in data]
        if missing:
            raise BadInput(f"{source}: the job lacks {', '.join(missing)}")
        if not isinstance(data["params"], dict):
            raise BadInput(f"{source}: params must be an object")
        return cls(
            module=str(data["module"]),
            job_id=str(data["jobId"]),
            experiment_id=str(data.get("experimentId", data["jobId"])),
            experiment_dir=Path(data["experimentDir"]),
            params=data["params"],
            database_url=str(data["databaseUrl"]),
            output_dir=Path(data["outputDir"]),
            version=None if data.get("version") is None else str(data["version"]),
            attempt=int(data.get("attempt", 1)),
            tables=dict(data.get("tables") or {}),
            upstream=dict(data.get("upstream") or {}),
            raw=data,
        )

    def query(self, sql: str, args: Sequence[Any] | Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Runs `sql` (psycopg placeholders: %s or %(name)s) on the job's read-only connection; rows as dicts."""
        if self._connection is None:
            import psycopg  # only modules that query need it loaded
            from psycopg.rows import dict_row

            # Autocommit: each query is its own (read-only) transaction, so no idle transaction is held open.
            self._connection = psycopg.connect(self.database_url, autocommit=True, row_factory=dict_row)
        with self._connection.cursor() as cursor:
            cursor.execute(sql, args)
            return list(cursor.fetchall()) if cursor.description is not None else []

    def emit(self, table: str, row: Mapping[str, Any]) -> None:
        _emit(table, row)

    def progress(self, fraction: float) -> None:
        _progress(fraction)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def read_job(stdin: TextIO | None = None, environ: Mapping[str, str] | None = None) -> Job:
    """The job from MPCTL_JOB_FILE if set (stdin stays free for the program), else from stdin."""
    env = os.environ if environ is None else environ
    path = env.get("MPCTL_JOB_FILE")
    if path:
        source = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise BadInput(f"{path}: cannot read the job file ({error.strerror})") from error
    else:
        source = "stdin"
        text = (stdin if stdin is not None else sys.stdin).read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"{source}: the job is not JSON ({error.msg} at line {error.lineno})") from error
    return Job.from_dict(data, source)
