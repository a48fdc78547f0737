"""Word files for the tests, made with python-docx the way records offices lay a dispatch
out: the header and the closing are borderless two-column tables (organ, number and subject |
national motto and date; "Nơi nhận" | signature), the body is paragraphs without blank ones
between them. `word_97(docx)` has LibreOffice save one as a Word 97-2003 .doc."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def _cell(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def dispatch_docx(text: str, path: Path) -> Path:
    """A .docx of a dispatch laid out as tests/documents.py's generated_document lays it:
    organ (2 lines), motto (2 lines), "Số:", date, "V/v", body, "Nơi nhận:" list, title, name."""
    from docx import Document

    lines = text.splitlines()
    filled = [line for line in lines if line.strip()]
    organ, motto, number, date, subject = filled[0:2], filled[2:4], filled[4], filled[5], filled[6]
    closing = lines.index("Nơi nhận:")
    body = [line for line in lines[lines.index(subject) + 1:closing] if line.strip()]
    cc = [line for line in lines[closing:] if line.startswith(("Nơi nhận", "- "))]
    signature = [line for line in lines[closing + len(cc):] if line.strip()]
    document = Document()
    header = document.add_table(rows=1, cols=2)
    _cell(header.cell(0, 0), [*organ, number, subject])
    _cell(header.cell(0, 1), [*motto, date])
    for line in body:
        document.add_paragraph(line)
    footer = document.add_table(rows=1, cols=2)
    _cell(footer.cell(0, 0), cc)
    _cell(footer.cell(0, 1), [signature[0], "", signature[-1]])
    document.add_paragraph()  # Word ends a body with a paragraph; LibreOffice drops a last table otherwise
    document.save(path)
    return path


def word_97(docx: Path, doc: Path) -> Path:
    """`docx` saved by LibreOffice as a Word 97-2003 .doc at `doc`."""
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([shutil.which("soffice") or "soffice", "--headless", "--norestore",
                        f"-env:UserInstallation={Path(scratch, 'profile').as_uri()}", "--convert-to", "doc",
                        "--outdir", scratch, str(docx)], check=True, capture_output=True, timeout=180,
                       env={"PATH": "/usr/bin:/bin", "HOME": scratch})
        shutil.copy(Path(scratch) / f"{docx.stem}.doc", doc)
    return doc
