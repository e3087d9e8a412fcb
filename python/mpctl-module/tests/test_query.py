"""Job.query against a real PostgreSQL (npm test hands one over in MPCTL_TEST_DATABASE_URL)."""

from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from mpctl_module import Job

from .conftest import job_dict


def read_only(url: str) -> str:
    # The session option mpctl puts in databaseUrl (docs/modules.md).
    return url + ("&" if "?" in url else "?") + "options=" + quote("-c default_transaction_read_only=on")


def test_query_returns_dicts_with_placeholders(database_url: str, tmp_path: Path) -> None:
    job = Job.from_dict(job_dict(tmp_path, databaseUrl=read_only(database_url)))
    try:
        rows = job.query("SELECT %s::int AS n, %s::text AS s UNION ALL SELECT 2, 'b' ORDER BY n", [1, "a"])
        assert rows == [{"n": 1, "s": "a"}, {"n": 2, "s": "b"}]
        assert job.query("SELECT %(x)s::float8 AS x", {"x": 0.5}) == [{"x": 0.5}]
    finally:
        job.close()


def test_writes_fail_on_the_read_only_connection(database_url: str, tmp_path: Path) -> None:
    job = Job.from_dict(job_dict(tmp_path, databaseUrl=read_only(database_url)))
    try:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            job.query("CREATE TABLE mpctl_helper_should_not_exist (x int)")
        # The connection stays usable after the refused write.
        assert job.query("SELECT 1 AS one") == [{"one": 1}]
    finally:
        job.close()
