"""OCR of PDF pages with tesseract and its Vietnamese data, for scans and garbled text layers.

Needs the Debian packages ``tesseract-ocr`` and ``tesseract-ocr-vie``; without them a page
without text stays ``no_text_layer`` and a garbled one ``garbled_text_layer``.  One page is
rendered at 300 dpi and read by one tesseract process (``OMP_THREAD_LIMIT=1``: the workers
already use every core).
"""
from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess

DPI = 300
LANG = "vie"
PAGE_SECONDS = 120


class OcrError(Exception):
    """tesseract failed on a page (the message says why)."""


@functools.cache
def available() -> bool:
    """Whether tesseract and its Vietnamese data are installed."""
    if not shutil.which("tesseract"):
        return False
    try:
        res = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return LANG in res.stdout.split()


def ocr_png(png: bytes) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        res = subprocess.run(["tesseract", "stdin", "stdout", "-l", LANG, "--psm", "4"], input=png,
                             capture_output=True, timeout=PAGE_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"tesseract took over {PAGE_SECONDS} s on a page") from None
    if res.returncode != 0:
        raise OcrError(f"tesseract failed: {res.stderr.decode(errors='replace').strip().splitlines()[-1:]}")
    return res.stdout.decode("utf-8", errors="replace")


MAX_PIXELS = 40_000_000   # an A3 page at 300 dpi is 17 Mpx; a 200 × 200-inch page would be 3.6 G
MIN_DPI = 72


def render_scale(width_pt: float, height_pt: float) -> float | None:
    """The scale to render a page at: 300 dpi, less for a page too large for ``MAX_PIXELS`` (None:
    the page is too large to read even at ``MIN_DPI``)."""
    area = max(1.0, width_pt * height_pt)
    scale = min(DPI / 72, (MAX_PIXELS / area) ** 0.5)
    return scale if scale * 72 >= MIN_DPI else None


# a scanned page is one image (or a few strips); a page drawn with more objects than this is a drawing
# (a map, a plan), whose rendering alone costs seconds a page, and whose OCR would read no sentence
MAX_OCR_OBJECTS = 5000


def ocr_page(page) -> str:
    """The text of one pypdfium2 page, read from its image (never more than ``MAX_PIXELS``)."""
    import pypdfium2.raw as pdfium_c
    objects = pdfium_c.FPDFPage_CountObjects(page)
    if objects > MAX_OCR_OBJECTS:
        raise OcrError(f"page drawn with {objects} objects is a drawing, not a scan: not read by OCR")
    scale = render_scale(page.get_width(), page.get_height())
    if scale is None:
        raise OcrError(f"page of {page.get_width() / 72:.0f} × {page.get_height() / 72:.0f} inches is too large to OCR")
    bitmap = page.render(scale=scale, grayscale=True)
    buf = io.BytesIO()
    bitmap.to_pil().save(buf, format="PNG")
    return ocr_png(buf.getvalue())
