"""Digital-signature stamps, from the regions ingest set apart or from lines of plain text.

A scan or a signed PDF reaches extraction with its stamps already set apart as regions of
the page (`ingest`): their text is parsed here. Plain text (a signed PDF saved with
pdftotext, a copy from a legal portal) still holds the stamp's lines among the header's:
they are found here, parsed, and left out of the lines the header is read from, so a stamp
is never taken for the issuer, the date or the number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from vanthu.ingest.models import PageLayout
from vanthu.knowledge.signatures import (DATETIME, EMAIL, DigitalSignature, is_labelled_stamp_line, is_stamp_line,
                                         is_strong_stamp_line, parse_stamp)

from .lines import Layout, Line
from .signature import read_title_line

MAX_WRAPPED_WORDS = 4  # a short line next to a stamp's lines wraps one of its values


def from_regions(pages: Sequence[PageLayout]) -> list[DigitalSignature]:
    """The stamps ingest set apart, in page order, each parsed once."""
    found = []
    for page in pages:
        for region in page.regions:
            if region.kind == "signature-stamp" and (stamp := parse_stamp(region.text.splitlines())):
                if stamp not in found:
                    found.append(stamp)
    return found


def _stamp_runs(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of consecutive lines that print a stamp: stamp lines with the short lines around
    them, kept when the run has a line only a stamp prints or two stamp lines."""
    runs: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if is_stamp_line(line.text) or (current and len(line.text.split()) <= MAX_WRAPPED_WORDS
                                        and not line.text.rstrip().endswith((".", ";"))):
            current.append(line)
            continue
        if current:
            runs.append(current)
        current = [line] if len(line.text.split()) <= MAX_WRAPPED_WORDS and line.text.isupper() else []
    if current:
        runs.append(current)
    kept = []
    for run in runs:
        stamp_lines = [line for line in run if is_stamp_line(line.text)]
        if any(is_strong_stamp_line(line.text) for line in run) or len(stamp_lines) >= 2:
            kept.append(_trimmed(run))
    return kept


MAX_HEAD_LINES = 3  # lines of an unlabelled stamp's organization above its e-mail or time


def _trimmed(run: list[Line]) -> list[Line]:
    """A run cut to the stamp's own lines. After its last stamp line, short lines belong to
    what follows. Before its first: a labelled stamp ("Người ký: …") has nothing of its
    own, so what stands there is the document's (a signature block, its name), nor has one
    that opens with its organization ("TRUNG TÂM CÔNG BÁO VÀ TIN HỌC"); one that opens with
    its e-mail or time has its organization's name right above, in capitals."""
    first = next(i for i, line in enumerate(run) if is_stamp_line(line.text))
    last = max(i for i, line in enumerate(run) if is_stamp_line(line.text))
    start = first
    opening = run[first].text
    if not is_labelled_stamp_line(opening) and (EMAIL.search(opening) or DATETIME.search(opening)):
        # Never a signer's title, nor the name under one ("PHÓ CHỦ TỊCH / LÊ HỒNG VINH /
        # SỞ NỘI VỤ / e-mail / time": the stamp is the last line's and below).
        while start > 0 and first - start < MAX_HEAD_LINES and run[start - 1].text.isupper() \
                and not _titled(run, start - 1):
            start -= 1
    return run[start:last + 1]


def _titled(run: list[Line], i: int) -> bool:
    """Whether `run[i]` is a signer's title line, or stands right under one."""
    return read_title_line(run[i]) is not None or (i > 0 and read_title_line(run[i - 1]) is not None)


def from_text(layout: Layout) -> tuple[list[DigitalSignature], Layout]:
    """The stamps printed among the text's lines, and the layout without those lines."""
    runs = _stamp_runs(layout.lines)
    stamps = [stamp for run in runs if (stamp := parse_stamp([line.text for line in run]))]
    if not stamps:
        return [], layout
    dropped = {line.index for run in runs for line in run}
    kept = [line for line in layout.lines if line.index not in dropped]
    lines = tuple(replace(line, index=i) for i, line in enumerate(kept))
    return stamps, replace(layout, lines=lines)
