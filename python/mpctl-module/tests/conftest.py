from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest


def job_dict(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    job: dict[str, Any] = {
        "protocol": 1,
        "module": "spike_count",
        "version": "1",
        "jobId": "2026-10-03_slice1/site_1",
        "experimentId": "2026-10-03_slice1/site_1",
        "experimentDir": str(tmp_path / "site_1"),
        "params": {"threshold": 0.5},
        "databaseUrl": os.environ.get("MPCTL_TEST_DATABASE_URL", "postgresql://127.0.0.1:1/none"),
        "outputDir": str(tmp_path / "out"),
        "attempt": 2,
        "tables": {"spike_count": {"columns": {"n_pulses": {"type": "integer", "required": False}}}},
        "upstream": {"dataset": {"jobId": "2026-10-03_slice1/site_1", "finishedAt": "2026-12-01T10:00:00.000Z"}},
    }
    job.update(overrides)
    return job


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job_dict(tmp_path)))
    return path


@pytest.fixture
def database_url() -> str:
    url = os.environ.get("MPCTL_TEST_DATABASE_URL")
    if not url:
        # npm test always sets it (test/python/helper-pytest.test.ts); by hand, say why the query tests cannot run.
        if os.environ.get("MPCTL_TEST_REQUIRE_DATABASE"):
            pytest.fail("MPCTL_TEST_DATABASE_URL is not set")
        pytest.skip("MPCTL_TEST_DATABASE_URL (a PostgreSQL database to query) is not set")
    return url
