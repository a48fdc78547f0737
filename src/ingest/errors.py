"""Errors raised while reading an input file.

Each error names the file, says why in one line, and may carry a hint on how to fix it.
"""

from __future__ import annotations

from pathlib import Path

from vanthu.knowledge.printable import printable_path


class InputError(Exception):
    """A file that cannot be turned into text."""

    def __init__(self, path: Path | str, reason: str, hint: str | None = None) -> None:
        self.path = printable_path(path)  # one line, whatever the file is called
        self.reason = reason
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        message = f"{self.path}: {self.reason}"
        return f"{message} ({self.hint})" if self.hint else message


class MissingDependency(Exception):
    """A system program the input needs (e.g. tesseract) is not installed."""

    def __init__(self, program: str, package: str) -> None:
        self.program = program
        self.package = package
        super().__init__(
            f"{program} is not installed; install it with: "
            f"sudo apt-get install {package} (or run `make install`)"
        )


class MissingModel(Exception):
    """A trained model file (models/, or $VANTHU_MODELS) is not there."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        super().__init__(f"model file {path} not found; rebuild it with `make model` "
                         "(or point VANTHU_MODELS at a folder that has it)")
