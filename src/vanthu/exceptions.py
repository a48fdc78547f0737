"""Exit statuses of the `vanthu` command, one meaning each."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FILES_FAILED = 1  # the run went through but some files could not be processed
    CANNOT_START = 2  # bad usage, database unreachable, a required program missing
    BUSY = 3  # another inbox run holds the inbox or the database
    CRASHED = 4  # the run stopped part-way (the Dask scheduler lost); what was committed is kept
