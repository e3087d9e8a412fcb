"""`run(main)`: the exit statuses mpctl understands (0 done, 65 BadInput, 1 anything else, retried)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import NoReturn, TextIO

from .errors import EX_DATAERR, BadInput
from .job import Job, read_job


def run(main: Callable[[Job], object], stdin: TextIO | None = None) -> NoReturn:
    """Reads the job, calls `main(job)` and exits; a BadInput's message is the last stderr line, as mpctl reports it."""
    job: Job | None = None
    try:
        job = read_job(stdin)
        main(job)
    except BadInput as error:
        sys.stdout.flush()
        print(f"BadInput: {error}", file=sys.stderr, flush=True)
        _exit(job, EX_DATAERR)
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001 - a crash is retried by mpctl; say what it was
        traceback.print_exc(file=sys.stderr)
        print(f"{type(error).__name__}: {error}", file=sys.stderr, flush=True)
        _exit(job, 1)
    _exit(job, 0)


def _exit(job: Job | None, status: int) -> NoReturn:
    if job is not None:
        job.close()
    sys.stdout.flush()
    sys.exit(status)
