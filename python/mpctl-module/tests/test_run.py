"""`run(main)` in a real child process: the exit statuses and stderr mpctl sees."""

import json
import subprocess
import sys
from pathlib import Path

from .conftest import job_dict

PROGRAM = """
import sys
from mpctl_module import BadInput, run

def main(job):
    mode = job.params["mode"]
    job.progress(0.5)
    job.emit("t", {"mode": mode, "dir": str(job.experiment_dir)})
    if mode == "bad":
        raise BadInput(f"{job.experiment_dir}: no pulses")
    if mode == "crash":
        raise RuntimeError("boom")

run(main)
"""


def run_program(tmp_path: Path, mode: str, via_file: bool = False) -> subprocess.CompletedProcess[str]:
    job = json.dumps(job_dict(tmp_path, params={"mode": mode}))
    env = {"PATH": "/usr/bin:/bin"}
    if via_file:
        (tmp_path / "job.json").write_text(job)
        env["MPCTL_JOB_FILE"] = str(tmp_path / "job.json")
    return subprocess.run(
        [sys.executable, "-c", PROGRAM], input="" if via_file else job, capture_output=True, text=True, env=env, timeout=60
    )


def test_success_exits_0_with_the_rows_and_progress_on_stdout(tmp_path: Path) -> None:
    result = run_program(tmp_path, "ok")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"progress": 0.5},
        {"table": "t", "row": {"mode": "ok", "dir": str(tmp_path / "site_1")}},
    ]


def test_bad_input_exits_65_with_its_message_last_on_stderr(tmp_path: Path) -> None:
    result = run_program(tmp_path, "bad", via_file=True)
    assert result.returncode == 65
    assert result.stderr.strip().splitlines()[-1] == f"BadInput: {tmp_path / 'site_1'}: no pulses"


def test_a_crash_exits_1_with_the_traceback(tmp_path: Path) -> None:
    result = run_program(tmp_path, "crash")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "RuntimeError: boom"


def test_an_unreadable_job_is_bad_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], input="{", capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}, timeout=60
    )
    assert result.returncode == 65
    assert "stdin: the job is not JSON" in result.stderr
