"""The OCR words behind a stretch of the text: how surely, and how, a value was printed.

Scanned input carries every word's box and recognition confidence (`ingest.models.PageWord`,
with its offsets in the text). An extractor that found a value in the text asks here which
words it came from, to abstain rather than guess when the value is not clearly printed:
- a low confidence (a handwritten number reads at 40-75, print at 85-97), or pen ink (blue,
  violet) on a colour scan, whatever the confidence;
- a number that stands apart from the printed symbol it belongs to ("Số: 445 /NQ-CP"): on a
  scan, a number written into the blank of a pre-printed form;
- digits glued to the printed words around them ("ngày82tháng"): a day written into the blank.
Text input (and a PDF's text layer, read at 100) has no doubtful words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from vanthu.ingest.models import PageLayout, PageWord


class WordIndex:
    """The document's words by their offsets in the text."""

    def __init__(self, pages: Sequence[PageLayout] = ()) -> None:
        self.pages = list(pages)
        placed = sorted(((w, page) for page in pages for w in page.words), key=lambda pair: pair[0].start)
        self.words: list[PageWord] = [w for w, _ in placed]
        self.page_of = [page for _, page in placed]
        self.starts = [w.start for w in self.words]
        self.scanned = any(w.conf < 100 for w in self.words)

    def covering(self, start: int, end: int) -> list[PageWord]:
        """The words that overlap text[start:end]."""
        i = max(0, bisect_left(self.starts, start) - 1)
        out = []
        while i < len(self.words) and self.words[i].start < end:
            if self.words[i].end > start:
                out.append(self.words[i])
            i += 1
        return out

    def confidence(self, start: int, end: int) -> float | None:
        """The lowest confidence of the words behind text[start:end]; None without layout.
        A word written in pen ink (`PageWord.coloured`) counts as 0: however clearly OCR
        read it, it was written by hand, not printed."""
        words = self.covering(start, end)
        return min(0.0 if w.coloured else w.conf for w in words) if words else None

    def ink_over(self, start: int, end: int) -> bool:
        """Whether handwriting that OCR set apart lies over the words of text[start:end]
        (inside their bounding box, on their page): a pen stroke across printed lines."""
        found = self.covering(start, end)
        if not found:
            return False
        page = self._page(found[0])
        x0, y0 = min(w.box[0] for w in found), min(w.box[1] for w in found)
        x1, y1 = max(w.box[2] for w in found), max(w.box[3] for w in found)
        return any(r.kind == "handwriting" and r.box[0] < x1 and r.box[2] > x0 and r.box[1] < y1 and r.box[3] > y0
                   for r in page.regions)

    def page_width(self, word: PageWord) -> int:
        """The width in pixels of the page a word lies on."""
        return self._page(word).width

    def _page(self, word: PageWord) -> PageLayout:
        return self.page_of[self.words.index(word)]

    def one_word(self, start: int, end: int) -> bool:
        """Whether text[start:end] lies inside a single OCR word (nothing apart from it)."""
        return len(self.covering(start, end)) == 1

    def ink_between(self, end: int, start: int) -> bool:
        """Whether unread ink (handwriting, marks set apart as noise) lies on the page between
        the word that ends at offset `end` and the word that starts at offset `start`: a
        blank of the form that holds something written, not a blank left empty."""
        before = self.covering(max(0, end - 1), end)
        after = self.covering(start, start + 1)
        if not before or not after:
            return False
        left, right = before[-1], after[0]
        page = self.page_of[self.words.index(left)]
        top, bottom = min(left.box[1], right.box[1]), max(left.box[3], right.box[3])
        for region in page.regions:
            if region.kind not in ("handwriting", "noise"):
                continue
            x0, y0, x1, y1 = region.box
            middle = (x0 + x1) / 2
            if left.box[2] <= middle <= right.box[0] and min(y1, bottom) - max(y0, top) > 0.3 * (bottom - top):
                return True
        return False
