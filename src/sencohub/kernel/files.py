"""Uploaded files: checked by their content and size before anything opens them, and handed back as downloads.

A file's name says nothing about what it holds (an .exe renamed .pdf is still a program), so each kind is
recognised by its first bytes, and Office files (which are zip archives) by the content type their
`[Content_Types].xml` declares. A zip archive is also checked for what it would unpack to before any part of
it is read: a 1 MB file can inflate to gigabytes.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

MB = 1024 * 1024

MESSAGE_TOO_LARGE = "The file is larger than {limit}."
MESSAGE_EMPTY = "The selected file is empty."
MESSAGE_WRONG_NAME = "Upload {what} as {kinds}."
MESSAGE_WRONG_CONTENT = (
    "The file's name ends {extension}, but its content is not {kinds}. Open it and save it again as {kinds}, "
    "then upload it again."
)
MESSAGE_ZIP_BOMB = (
    "The file would unpack to {size} when opened (its part {part} alone), far more than {purpose} needs "
    "(at most {limit}). It may be damaged or padded with empty cells: copy what you need into a new file, save "
    "it, and upload it again."
)
MESSAGE_ZIP_RATIO = (
    "The file's part {part} is compressed {ratio:,} times over, which no document saved by Office is. It may be "
    "damaged or built to overload the server: save what you need into a new file and upload it again."
)
MESSAGE_ZIP_MEMBERS = (
    "The file holds {count:,} parts, more than any {purpose} has. Save it again and upload it again."
)
MESSAGE_NOT_ZIP = "The file is not a complete Office document (it could not be opened as one)."


class UploadRefused(ValueError):
    """An uploaded file that will not be opened, with a reason a person can act on."""


def size_text(size: int) -> str:
    """A size as people read it: 2 GB, 10 MB, 1.5 MB, 800 KB."""
    if size >= 1024 * MB:
        return f"{size / 1024 / MB:,.1f} GB".replace(".0 GB", " GB")
    if size >= MB:
        return f"{size / MB:,.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024)):,} KB"


@dataclass(frozen=True)
class ZipLimits:
    """What an Office file may unpack to. `streamed` parts are read a row at a time; every other part whole."""

    purpose: str  # what a genuine file is for, in the refusal: "a list of 20,000 pupils"
    part_bytes: int  # any part read whole into memory (styles, shared strings, the document body)
    streamed_bytes: int  # a part read as a stream (a worksheet), which costs time rather than memory
    total_bytes: int  # every part together
    streamed: re.Pattern | None = None
    # Office compresses its XML 5 to 30 times; a zip bomb reaches about 1,000. Small parts may compress further.
    max_ratio: int = 200
    ratio_from_bytes: int = MB
    max_members: int = 2_000


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits) -> None:
    """Refuse an archive whose parts would unpack beyond the limits; reads only its central directory.

    zipfile never reads a part beyond the size the directory declares (a part that lies fails its CRC check),
    so these declared sizes bound what any reader of the archive can be made to unpack.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise UploadRefused(MESSAGE_ZIP_MEMBERS.format(count=len(members), purpose=limits.purpose))
    total = 0
    for member in members:
        streamed = limits.streamed is not None and limits.streamed.fullmatch(member.filename) is not None
        limit = limits.streamed_bytes if streamed else limits.part_bytes
        total += member.file_size
        if member.file_size > limit or total > limits.total_bytes:
            size, limit = (
                (member.file_size, limit) if member.file_size > limit else (total, limits.total_bytes)
            )
            raise UploadRefused(
                MESSAGE_ZIP_BOMB.format(
                    size=size_text(size), part=member.filename, purpose=limits.purpose, limit=size_text(limit)
                )
            )
        if member.file_size > limits.ratio_from_bytes and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise UploadRefused(MESSAGE_ZIP_RATIO.format(part=member.filename, ratio=ratio))


# --- What kind of file an upload is, by its content --------------------------------------------------------------

_CONTENT_TYPES_LIMIT = 256 * 1024
OFFICE_LIMITS = ZipLimits(
    purpose="an Office document", part_bytes=32 * MB, streamed_bytes=32 * MB, total_bytes=64 * MB
)


def _office(main_type: str) -> Callable:
    def sniff(upload) -> bool:
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04":
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                check_zip(archive, OFFICE_LIMITS)
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _CONTENT_TYPES_LIMIT:
                    return False
                declared = archive.read(info)
        except UploadRefused:
            raise
        except (zipfile.BadZipFile, KeyError, EOFError, OSError, NotImplementedError, ValueError):
            # A damaged or cut-short zip (BadZipFile, EOFError, OSError), no [Content_Types].xml (KeyError), a
            # compression method Python cannot read (NotImplementedError) or a malformed header (ValueError):
            # whatever it is, it is not a document of this kind, and the caller says so.
            return False
        finally:
            upload.seek(0)
        return f'ContentType="{main_type}"'.encode() in declared

    return sniff


def _starts_with(*signatures: bytes) -> Callable:
    def sniff(upload) -> bool:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        return head.startswith(signatures)

    return sniff


@dataclass(frozen=True)
class FileKind:
    name: str  # "PDF", in a list of kinds: "a PDF, JPG or PNG file"
    label: str  # "a PDF file", when it is the only kind
    extensions: tuple[str, ...]
    sniff: Callable  # the upload (seekable, binary) -> whether its content is this kind


PDF = FileKind("PDF", "a PDF file", (".pdf",), _starts_with(b"%PDF-"))
PNG = FileKind("PNG", "a PNG image", (".png",), _starts_with(b"\x89PNG\r\n\x1a\n"))
JPEG = FileKind("JPG", "a JPG image", (".jpg", ".jpeg"), _starts_with(b"\xff\xd8\xff"))
DOCX = FileKind(
    "Word (.docx)",
    "a Word document (.docx)",
    (".docx",),
    _office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
)
XLSX = FileKind(
    "Excel (.xlsx)",
    "an Excel workbook (.xlsx)",
    (".xlsx",),
    _office("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
)


def _kinds_text(kinds: tuple[FileKind, ...]) -> str:
    if len(kinds) == 1:
        return kinds[0].label
    names = [k.name for k in kinds]
    return "a " + ", ".join(names[:-1]) + " or " + names[-1] + " file"


def check_upload(upload, *, kinds: tuple[FileKind, ...], max_bytes: int, what: str = "the file") -> None:
    """Raise ValidationError unless the upload is small enough and its content is one of `kinds`, as its name says."""
    if upload.size > max_bytes:
        raise ValidationError(MESSAGE_TOO_LARGE.format(limit=size_text(max_bytes)), code="too_large")
    if upload.size == 0:
        raise ValidationError(MESSAGE_EMPTY, code="empty")
    name = (upload.name or "").lower()
    named = [k for k in kinds if name.endswith(k.extensions)]
    if not named:
        raise ValidationError(
            MESSAGE_WRONG_NAME.format(what=what, kinds=_kinds_text(kinds)), code="wrong_name"
        )
    try:
        if not any(kind.sniff(upload) for kind in named):
            extension = "." + name.rsplit(".", 1)[-1]
            raise ValidationError(
                MESSAGE_WRONG_CONTENT.format(extension=extension, kinds=_kinds_text(tuple(named))),
                code="wrong_content",
            )
    except UploadRefused as refused:
        raise ValidationError(str(refused), code="zip_bomb") from None


# --- Handing files back --------------------------------------------------------------------------------------------


def attachment(body: str | bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A response the browser saves as `filename` rather than shows (every generated download: tables, Word,
    PDF, bundles)."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def download(field) -> FileResponse:
    """A FileField's file as an attachment named as it was uploaded."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
