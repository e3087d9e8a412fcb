"""The Python side of mpctl's external-module protocol (docs/modules.md).

The protocol needs nothing but printed lines; this package only saves writing them by hand::

    from mpctl_module import BadInput, Job, run

    def main(job: Job) -> None:
        job.emit("spike_count", {"n_pulses": 12})

    run(main)
"""

from .errors import EX_DATAERR, BadInput
from .job import Job, read_job
from .output import emit, progress, to_json_value
from .runner import run

__all__ = ["EX_DATAERR", "BadInput", "Job", "emit", "progress", "read_job", "run", "to_json_value"]
