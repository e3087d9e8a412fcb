"""The one failure a module signals on purpose."""

# sysexits.h EX_DATAERR: mpctl fails the job once, non-retryably, as BadInput.
EX_DATAERR = 65


class BadInput(Exception):
    """The experiment's data cannot be analysed (retrying would not help); `run` exits 65 with this message."""
