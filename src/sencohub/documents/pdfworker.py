"""HTML to PDF in worker processes, for bulk prints: no Django here, so a spawned process starts quickly.

WeasyPrint lays out one document on one core; a bulk print splits its documents into chunks, lays the
chunks out in parallel (one process a core) and joins the PDFs with pypdf, in order.
"""

import io
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

CHUNK = 20  # documents a worker lays out at a time


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def join_pdfs(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_to_pdf(chunks: list[str], progress=None) -> bytes:
    """Each chunk is a whole HTML document; the result is one PDF of them all, in order."""
    workers = min(len(chunks), os.cpu_count() or 1)
    if workers <= 1:
        parts = []
        for index, chunk in enumerate(chunks):
            parts.append(html_to_pdf(chunk))
            if progress:
                progress(index + 1, len(chunks))
    else:
        # "spawn", not fork: the caller may be a threaded web or test server, where forking is unsafe.
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(html_to_pdf, chunk) for chunk in chunks]
            parts = []
            for index, future in enumerate(futures):
                parts.append(future.result())
                if progress:
                    progress(index + 1, len(chunks))
    return parts[0] if len(parts) == 1 else join_pdfs(parts)
