"""PDF and image files -> text, page by page: text layer where it is good, OCR where it is not.

    plan_scan:   judge the pages (PDF: each text layer; image: every frame needs OCR), take
                 what the cache knows, list the page jobs left
    ocr_job:     OCR one page (in any worker process: `ocr_pages` here, or the batch
                 scheduler `vanthu.batch` that keeps every core busy across files)
    finish_scan: join the pages, record per page how its text was obtained

Workers receive a page's address (file, kind, index), not its pixels, and decode or render it
themselves: a 300 DPI page is 25 MB of pixels that need not cross a pipe.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import cv2
import pypdfium2 as pdfium

from . import images, pdf
from .cache import OcrCache, file_key, image_key
from .errors import InputError
from .limits import check_pages, return_freed_pages, seconds_left
from vanthu.knowledge.printable import printable_path
from .models import Box, IngestedText, OcrOptions, PageInfo, PageLayout, PageWord, Region, Source, Triage
from .ocr import OCR_VERSION, PageText, ocr_image
from .preprocess import pen_ink, to_grey
from .tesseract import TesseractFailed, probe
from .triage import judge_text_layer

PageCallback = Callable[[], None]


@dataclass(frozen=True)
class PageJob:
    """One page to OCR: where it lives, how to read it, and boxes (PDF points) to whiten."""

    path: Path
    kind: str  # "pdf" or an image kind
    index: int
    lang: str
    timeout: float
    max_pixels: int
    cache_dir: Path | None
    masks: tuple[Box, ...] = ()
    deadline: float | None = None  # the file's (ingest.limits): Tesseract calls end by then


def _load(job: PageJob):
    if job.kind == "pdf":
        return pdf.render_page(job.path, job.index, job.max_pixels)
    return images.load_frame(job.path, job.index, job.max_pixels)


def ocr_job(job: PageJob) -> tuple[PageText, bool]:
    """OCR one page (in a worker process); returns its text and whether it came from the cache."""
    page = f"page {job.index + 1}"
    return_freed_pages()
    try:
        image, dpi = _load(job)
    except pdfium.PdfiumError as err:
        raise InputError(job.path, f"{page}: cannot render ({err})") from err
    cache = OcrCache(job.cache_dir)
    # Hashing 25 MB of pixels costs a twentieth of a second: not when nothing is cached.
    key = image_key(image, job.lang, job.masks) if job.cache_dir else ""
    cached = cache.get_pages(key) if key else None
    if cached:
        return cached[0], True
    masks = [tuple(round(v * dpi / 72) for v in box) for box in job.masks]
    # OCR reads the page without its red ink (`preprocess.to_grey`) and marks what is in pen
    # ink: keep those two, not the colour page; and hand the grey page over (popped, never
    # named here) for ocr_image to let go once cleaned. A worker's peak memory is set by the
    # pages of pixels it holds at once.
    pen = pen_ink(image)
    grey = [to_grey(image)]
    del image
    try:
        result = ocr_image(grey.pop(), dpi, job.lang, seconds_left(job.deadline, job.timeout), masks,
                           job.max_pixels, pen)
    except TesseractFailed as err:
        raise InputError(job.path, f"{page}: {err}") from err
    except (cv2.error, ValueError, OSError) as err:  # an image the cleaning steps cannot take
        raise InputError(job.path, f"{page}: cannot prepare the image for OCR ({err})") from err
    cache.put_pages(key, [result])
    return result, False


def ocr_pages(jobs: list[PageJob], workers: int, on_page: PageCallback | None) -> list[tuple[PageText, bool]]:
    """OCR page jobs in page order, in up to `workers` processes."""
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            results.append(ocr_job(job))
            if on_page:
                on_page()
        return results
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = [pool.submit(ocr_job, job) for job in jobs]
        results = []
        try:
            for future in futures:  # in page order; a failed page raises its InputError here
                results.append(future.result())
                if on_page:
                    on_page()
        except BrokenProcessPool as err:  # a worker died (killed, out of memory, crashed library)
            raise InputError(jobs[0].path, "an OCR worker process died while reading this file") from err
        finally:
            for future in futures:
                future.cancel()
        return results


@dataclass(frozen=True)
class _Plan:
    count: int
    layers: list[pdf.Layer]  # text layer per page (empty for images)
    triage: list[Triage | None]


def _plan(path: Path, kind: str, options: OcrOptions) -> _Plan:
    if kind == "pdf":
        check_pages(path, pdf.page_count(path), options.max_pages)
        layers = pdf.text_layers(path)
        return _Plan(len(layers), layers, [judge_text_layer(layer.text) for layer in layers])
    count = images.frame_count(path, options.max_pixels)
    check_pages(path, count, options.max_pages)
    return _Plan(count, [pdf.Layer("")] * count, [None] * count)


# Text-layer boxes are in tenths of a point; page layouts are in pixels at 300 DPI.
_LAYER_TO_PIXELS = 300 / 72 / 10
_POINTS_TO_PIXELS = 300 / 72


def _scaled(box: Box, factor: float) -> Box:
    return tuple(round(v * factor) for v in box)


def _layer_page(number: int, layer: pdf.Layer) -> tuple[str, PageLayout]:
    """A text-layer page: its text, and its words and stamps placed on a 300 DPI page."""
    words = [PageWord(text=layer.text[p.start:p.end], box=_scaled((p.word.left, p.word.top, p.word.right,
                                                                    p.word.bottom), _LAYER_TO_PIXELS),
                      conf=100.0, start=p.start, end=p.end, zone=p.zone) for p in layer.words]
    return layer.text, PageLayout(number=number, width=round(layer.size[0] * _POINTS_TO_PIXELS),
                                  height=round(layer.size[1] * _POINTS_TO_PIXELS), words=words,
                                  regions=_layer_stamps(layer))


def _layer_stamps(layer: pdf.Layer) -> list[Region]:
    return [stamp.model_copy(update={"box": _scaled(stamp.box, _POINTS_TO_PIXELS)}) for stamp in layer.stamps]


def _ocr_page(number: int, result: PageText, layer: pdf.Layer) -> tuple[str, PageLayout]:
    return result.text, PageLayout(number=number, width=result.width, height=result.height,
                                   words=result.words, regions=[*_layer_stamps(layer), *result.regions])


def _join(pages: list[tuple[str, PageLayout]]) -> tuple[str, list[PageLayout]]:
    """The document's text (pages joined by a line break) with every word's offsets moved
    from its page's text into the document's."""
    texts = [text for text, _ in pages]
    joined = "\n".join(texts)
    lead = len(joined) - len(joined.lstrip("\n"))
    text = joined.strip("\n") + "\n"
    layouts, offset = [], -lead
    for page_text, layout in pages:
        words = [w.model_copy(update={"start": w.start + offset, "end": w.end + offset}) for w in layout.words]
        layouts.append(layout.model_copy(update={"words": words}))
        offset += len(page_text) + 1
    return text, layouts


@dataclass
class ScanPlan:
    """A scanned file ready to be read: its pages judged, the OCR results already cached,
    and the page jobs still to run (`jobs`, for any pool of workers to take)."""

    path: Path
    sha256: str
    options: OcrOptions
    version: str
    layout: _Plan
    done: dict[int, tuple[PageText, bool]]
    jobs: list[PageJob]

    @property
    def to_ocr(self) -> list[int]:
        return [i for i, t in enumerate(self.layout.triage) if t != "usable"]


def plan_scan(path: Path, kind: str, sha256: str, options: OcrOptions, version: str) -> ScanPlan:
    """Judge a PDF's or image's pages and list the OCR jobs the cache does not answer."""
    layout = _plan(path, kind, options)
    to_ocr = [i for i, t in enumerate(layout.triage) if t != "usable"]
    plan = ScanPlan(path, sha256, options, version, layout, {}, [])
    if not to_ocr:
        return plan
    probe(options.lang)
    cached = OcrCache(options.cache_dir).get_pages(file_key(sha256, options.lang, layout.count))
    if cached and len(cached) == len(to_ocr):
        plan.done = {i: (page, True) for i, page in zip(to_ocr, cached)}
        return plan
    plan.jobs = [PageJob(path, kind, i, options.lang, options.page_timeout, options.max_pixels,
                         options.cache_dir, tuple(stamp.box for stamp in layout.layers[i].stamps),
                         options.deadline)
                 for i in to_ocr]
    return plan


def finish_scan(plan: ScanPlan, results: dict[int, tuple[PageText, bool]]) -> IngestedText:
    """The file's text, layout and provenance, once every page job has its result."""
    ocr_results = {**plan.done, **results}
    if results:
        OcrCache(plan.options.cache_dir).put_pages(
            file_key(plan.sha256, plan.options.lang, plan.layout.count), [ocr_results[i][0] for i in plan.to_ocr])
    pages, infos, warnings = [], [], []
    for i in range(plan.layout.count):
        triage, layer = plan.layout.triage[i], plan.layout.layers[i]
        if i in ocr_results:
            result, was_cached = ocr_results[i]
            pages.append(_ocr_page(i + 1, result, layer))
            infos.append(PageInfo(number=i + 1, method="ocr", text_layer=triage,
                                  confidence=result.confidence, rotation=result.rotation,
                                  skew=result.skew, cached=was_cached))
            if result.confidence is None:
                warnings.append(f"page {i + 1}: no text found by OCR")
            elif result.confidence < plan.options.low_confidence:
                warnings.append(f"page {i + 1}: low OCR confidence ({result.confidence:.0f}%)")
        else:
            pages.append(_layer_page(i + 1, layer))
            infos.append(PageInfo(number=i + 1, method="pdf-text", text_layer=triage))
    text, layouts = _join(pages)
    if not text.strip():
        raise InputError(plan.path, "no text found on any page")
    methods = {p.method for p in infos}
    method = "ocr" if methods == {"ocr"} else "pdf-text" if methods == {"pdf-text"} else "pdf-text+ocr"
    # The OCR version is part of the provenance: a later OCR may re-derive these values.
    source = Source(path=printable_path(plan.path), sha256=plan.sha256, pages=plan.layout.count, method=method,
                    ingest_version=f"{plan.version}+{OCR_VERSION}" if ocr_results else plan.version,
                    per_page=infos)
    return IngestedText(text=text, source=source, warnings=warnings, pages=layouts)
