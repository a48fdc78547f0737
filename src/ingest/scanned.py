"""PDF and image files -> text, page by page: text layer where it is good, OCR where it is not.

    plan the pages (PDF: judge each text layer; image: every frame needs OCR)
    -> OCR the pages that need it, in parallel processes, through the cache
    -> join the pages, record per page how its text was obtained

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
from .limits import check_pages, seconds_left
from vanthu.knowledge.printable import printable_path
from .models import IngestedText, OcrOptions, PageInfo, Source, Triage
from .ocr import OCR_VERSION, PageText, ocr_image
from .tesseract import TesseractFailed, probe
from .text import clean_text
from .triage import judge_text_layer

PageCallback = Callable[[], None]


@dataclass(frozen=True)
class PageJob:
    """One page to OCR: where it lives and how to read it."""

    path: Path
    kind: str  # "pdf" or an image kind
    index: int
    lang: str
    timeout: float
    max_pixels: int
    cache_dir: Path | None
    deadline: float | None = None  # the file's (ingest.limits): Tesseract calls end by then


def _load(job: PageJob):
    if job.kind == "pdf":
        return pdf.render_page(job.path, job.index, job.max_pixels)
    return images.load_frame(job.path, job.index, job.max_pixels)


def ocr_job(job: PageJob) -> tuple[PageText, bool]:
    """OCR one page (in a worker process); returns its text and whether it came from the cache."""
    page = f"page {job.index + 1}"
    try:
        image, dpi = _load(job)
    except pdfium.PdfiumError as err:
        raise InputError(job.path, f"{page}: cannot render ({err})") from err
    cache = OcrCache(job.cache_dir)
    key = image_key(image, job.lang)
    cached = cache.get_pages(key)
    if cached:
        return cached[0], True
    try:
        result = ocr_image(image, dpi, job.lang, seconds_left(job.deadline, job.timeout), max_pixels=job.max_pixels)
    except TesseractFailed as err:
        raise InputError(job.path, f"{page}: {err}") from err
    except (cv2.error, ValueError, OSError) as err:  # an image the cleaning steps cannot take
        raise InputError(job.path, f"{page}: cannot prepare the image for OCR ({err})") from err
    cache.put_pages(key, [result])
    return result, False


def _ocr_all(jobs: list[PageJob], workers: int, on_page: PageCallback | None) -> list[tuple[PageText, bool]]:
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
    layers: list[str]         # text layer per page ("" for images)
    triage: list[Triage | None]


def _plan(path: Path, kind: str, options: OcrOptions) -> _Plan:
    if kind == "pdf":
        count = pdf.page_count(path)
        check_pages(path, count, options.max_pages)
        # pdfminer may see fewer or more pages than PDFium in a damaged file: PDFium's count
        # rules, and a page without a text layer is OCRed.
        layers = (pdf.text_layers(path) + [""] * count)[:count]
        return _Plan(count, layers, [judge_text_layer(layer) for layer in layers])
    count = images.frame_count(path, options.max_pixels)
    check_pages(path, count, options.max_pages)
    return _Plan(count, [""] * count, [None] * count)


def read_scanned(path: Path, kind: str, sha256: str, options: OcrOptions, version: str,
                 on_page: PageCallback | None = None) -> IngestedText:
    """Read a PDF or image file into text with per-page provenance."""
    plan = _plan(path, kind, options)
    to_ocr = [i for i, t in enumerate(plan.triage) if t != "usable"]
    ocr_results: dict[int, tuple[PageText, bool]] = {}
    if to_ocr:
        probe(options.lang)
        cache = OcrCache(options.cache_dir)
        whole_key = file_key(sha256, options.lang, plan.count)
        cached = cache.get_pages(whole_key)
        if cached and len(cached) == len(to_ocr):
            ocr_results = {i: (page, True) for i, page in zip(to_ocr, cached)}
            for _ in to_ocr:
                if on_page:
                    on_page()
        else:
            jobs = [PageJob(path, kind, i, options.lang, options.page_timeout, options.max_pixels,
                            options.cache_dir, options.deadline) for i in to_ocr]
            ocr_results = dict(zip(to_ocr, _ocr_all(jobs, options.jobs, on_page)))
            cache.put_pages(whole_key, [ocr_results[i][0] for i in to_ocr])
    texts, pages, warnings = [], [], []
    for i in range(plan.count):
        if i in ocr_results:
            result, was_cached = ocr_results[i]
            texts.append(result.text)
            pages.append(PageInfo(number=i + 1, method="ocr", text_layer=plan.triage[i],
                                  confidence=result.confidence, rotation=result.rotation,
                                  skew=result.skew, cached=was_cached))
            if result.confidence is None:
                warnings.append(f"page {i + 1}: no text found by OCR")
            elif result.confidence < options.low_confidence:
                warnings.append(f"page {i + 1}: low OCR confidence ({result.confidence:.0f}%)")
        else:
            texts.append(plan.layers[i])
            pages.append(PageInfo(number=i + 1, method="pdf-text", text_layer=plan.triage[i]))
    text = clean_text("\n".join(texts))
    if not text.strip():
        raise InputError(path, "no text found on any page")
    methods = {p.method for p in pages}
    method = "ocr" if methods == {"ocr"} else "pdf-text" if methods == {"pdf-text"} else "pdf-text+ocr"
    # The OCR version is part of the provenance: a later OCR may re-derive these values.
    source = Source(path=printable_path(path), sha256=sha256, pages=plan.count, method=method,
                    ingest_version=f"{version}+{OCR_VERSION}" if ocr_results else version,
                    per_page=pages)
    return IngestedText(text=text, source=source, warnings=warnings)
