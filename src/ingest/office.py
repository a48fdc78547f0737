"""Word documents: the text of a .docx (python-docx), and of a .doc once LibreOffice has
converted it to .docx (`libreoffice.py`).

Paragraphs and tables come in document order, paragraphs apart (a blank line between them,
as between paragraphs of a page). A table is read row by row and, in a row, cell by cell,
each cell's paragraphs (and tables nested in it) on consecutive lines: a dispatch's header
and closing are two-column tables (organ | national motto, "Nơi nhận" | signature), and
reading the left column before the right one gives the order the extractor expects of a
page, as the OCR layout does. A merged cell, which Word repeats at every grid place it
spans, is read once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError


def docx_text(data: bytes, path: Path | str) -> str:
    """The text of a .docx file's body."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError) as err:
        raise InputError(path, f"damaged Word document ({err})") from err
    return "\n\n".join(_blocks(document))


def _blocks(container) -> Iterator[str]:
    """The text blocks of a document or a table cell, in order: each paragraph, and each
    cell of each table (its paragraphs on consecutive lines)."""
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from _table(block)


def _table(table) -> Iterator[str]:
    read: list = []  # cells' XML elements: a merged cell is the same element at every grid place
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is seen for seen in read):
                continue
            read.append(cell._tc)
            # A cell holds at least one paragraph, often an empty one around its content.
            yield "\n".join(_blocks(cell)).strip("\n")


def doc_text(data: bytes, path: Path | str) -> str:
    """The text of a Word 97-2003 .doc file, converted to .docx by LibreOffice."""
    from .libreoffice import convert_to_docx

    return docx_text(convert_to_docx(data, path), path)
