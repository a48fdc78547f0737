"""Exit statuses of the `vanthu` command, one meaning each."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FILES_FAILED = 1  # the run went through but some files could not be processed
    CANNOT_START = 2  # bad usage, database unreachable, a required program missing, folders that would loop
    BUSY = 3  # another inbox run holds the inbox or the database
    # The run stopped part-way (the database failed mid-run, an error vanthu did not expect,
    # or the Dask scheduler was lost): what was committed is kept; an inbox run is marked
    # "crashed". Not 1, which systemd units count as success (docs/deploy: SuccessExitStatus=1).
    CRASHED = 4
