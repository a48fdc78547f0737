"""The LibreOffice wrapper: converts a Word 97-2003 .doc into a .docx, headless.

Each call runs `soffice` in a fresh temporary folder that holds the input copy, the output
and LibreOffice's own profile (two conversions at once would otherwise share one profile
and one of them fail), with an explicit environment and a timeout; the source file is only
read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import InputError, MissingDependency

PROGRAM = "soffice"
PACKAGE = "libreoffice-writer-nogui"
# A start with a fresh profile takes a few seconds, a long .doc a few more; a file that takes
# minutes is stuck (a dialog LibreOffice cannot show headless).
TIMEOUT = 120.0


def probe() -> str:
    """The path of soffice; MissingDependency when LibreOffice is not installed."""
    found = shutil.which(PROGRAM)
    if found is None:
        raise MissingDependency("LibreOffice (soffice, to read .doc files)", PACKAGE)
    return found


def convert_to_docx(data: bytes, path: Path | str, timeout: float = TIMEOUT) -> bytes:
    """The .docx LibreOffice makes of a .doc file's bytes."""
    program = probe()
    with tempfile.TemporaryDirectory(prefix="vanthu-doc-") as scratch:
        folder = Path(scratch)
        source = folder / "input.doc"
        source.write_bytes(data)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": scratch, "LANG": "C.UTF-8",
               "TMPDIR": scratch}
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=scratch)
        except subprocess.TimeoutExpired as err:
            raise InputError(path, f"LibreOffice did not convert the .doc file within {timeout:.0f} s") from err
        result = folder / "out" / "input.docx"
        if done.returncode != 0 or not result.exists():
            reason = (done.stderr or done.stdout).strip().splitlines()
            raise InputError(path, "damaged or protected .doc file: LibreOffice could not convert it"
                             + (f" ({reason[-1]})" if reason else ""))
        return result.read_bytes()
