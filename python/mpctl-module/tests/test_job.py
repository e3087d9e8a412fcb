import io
import json
from pathlib import Path

import pytest

from mpctl_module import BadInput, read_job

from .conftest import job_dict


def test_job_from_the_file_named_by_mpctl_job_file(job_file: Path, tmp_path: Path) -> None:
    job = read_job(stdin=io.StringIO("not read"), environ={"MPCTL_JOB_FILE": str(job_file)})
    assert job.module == "spike_count"
    assert job.job_id == "2026-10-03_slice1/site_1"
    assert job.experiment_id == job.job_id
    assert job.experiment_dir == tmp_path / "site_1"
    assert job.output_dir == tmp_path / "out"
    assert job.params == {"threshold": 0.5}
    assert job.version == "1" and job.attempt == 2
    assert job.upstream["dataset"]["finishedAt"].startswith("2026-12-01")
    assert job.raw["protocol"] == 1


def test_job_from_stdin_without_the_variable(tmp_path: Path) -> None:
    job = read_job(stdin=io.StringIO(json.dumps(job_dict(tmp_path, params={"k": [1, 2]}))), environ={})
    assert job.params == {"k": [1, 2]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ("[1]", "JSON object"),
        ('{"module": "m"}', "lacks jobId, experimentDir, params, databaseUrl, outputDir"),
    ],
)
def test_a_bad_job_is_bad_input_naming_the_source(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as raised:
        read_job(stdin=io.StringIO(text), environ={})
    assert str(raised.value).startswith("stdin:")


def test_a_missing_job_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(BadInput, match=str(missing)):
        read_job(environ={"MPCTL_JOB_FILE": str(missing)})
