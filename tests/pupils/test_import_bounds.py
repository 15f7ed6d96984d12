"""Files are bounded before they are parsed: a zip bomb, a sheet one pupil too long, a flood of lines or columns."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from sencohub.register.mis import applying, reading
from sencohub.statutory import upn

HEADER = ["UPN", "Surname", "Forename", "Date of birth", "Year"]
GIB = 1024**3


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pupils")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pupils(n: int, start: int = 0) -> list[list]:
    return [
        [upn.make(801, 3001 + i // 1000, 24, i % 1000), f"Rowe{i}", "Sam", "2016-04-03", "5"]
        for i in range(start, start + n)
    ]


def _with_shared_strings(content: bytes, count: int) -> bytes:
    """The workbook with a table of `count` distinct shared strings added (which openpyxl reads whole)."""
    strings = b"".join(b"<si><t>%x</t></si>" % n for n in range(count))
    table = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + strings + b"</sst>"
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info.filename,
                data.replace(b"</Types>", override) if info.filename == "[Content_Types].xml" else data,
            )
        target.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


# --- A zip bomb, built without ever holding (or compressing) the gigabytes it unpacks to -----------------------------


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from the CRCs of A and B and B's length."""

    def times(matrix, vector):
        total, i = 0, 0
        while vector:
            if vector & 1:
                total ^= matrix[i]
            vector >>= 1
            i += 1
        return total

    def square(matrix):
        return [times(matrix, matrix[n]) for n in range(32)]

    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = square(odd)
    odd = square(even)
    while len2:
        even = square(odd)
        if len2 & 1:
            crc1 = times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = square(even)
        if len2 & 1:
            crc1 = times(odd, crc1)
        len2 >>= 1
    return crc1 ^ crc2


def _raw_zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from parts already deflated: (name, deflated bytes, CRC-32, unpacked size)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in parts:
        offset, encoded = out.tell(), name.encode()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded + data)
        directory.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start, central = out.tell(), directory.getvalue()
    out.write(
        central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0)
    )
    return out.getvalue()


def zip_bomb(gigabytes: int = 2) -> bytes:
    """A real workbook whose sheet, after a header row, is gigabytes of blank space between two XML tags.

    Space compresses about 1,000 times, so this is a file of about 2 MB. Each block is deflated once and
    repeated (a full flush makes the blocks independent); the CRC is combined, never computed over the gigabytes.
    """
    genuine = zipfile.ZipFile(io.BytesIO(_workbook([HEADER, *_pupils(1)])))
    sheet = genuine.read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    head, tail = head + b"\n", b"</sheetData>" + tail
    block = b" " * (1024 * 1024)
    doublings = (gigabytes * 1024).bit_length() - 1  # 2 GB is 2,048 blocks: the block doubled 11 times
    repeats = 2**doublings
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated_head = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated_tail = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc_blocks, length = zlib.crc32(block), len(block)
    for _ in range(doublings):
        crc_blocks, length = _crc32_combine(crc_blocks, crc_blocks, length), length * 2
    crc = _crc32_combine(_crc32_combine(zlib.crc32(head), crc_blocks, length), zlib.crc32(tail), len(tail))
    size = len(head) + repeats * len(block) + len(tail)
    parts = []
    for info in genuine.infolist():
        if info.filename == "xl/worksheets/sheet1.xml":
            parts.append((info.filename, deflated_head + deflated_block * repeats + deflated_tail, crc, size))
        else:
            data = genuine.read(info)
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            parts.append((info.filename, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)))
    return _raw_zip(parts)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb()


def test_the_zip_bomb_is_a_genuine_workbook_that_unpacks_to_gigabytes(bomb):
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size > 2 * GIB - 1 and len(bomb) < 3 * 1024 * 1024
        with archive.open(sheet) as stream:  # it is what it says: a header row, then blank space
            start = stream.read(1024 * 1024)
    assert b"<sheetData>" in start and b"<row" in start


def test_a_zip_bomb_upload_is_refused_at_once_with_the_reason(client, world, bomb):
    client.force_login(world.people["senco"])
    response = client.post(
        f"/schools/{world.school.urn}/import/", {"file": SimpleUploadedFile("pupils.xlsx", bomb)}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "would unpack to 2 GB when opened" in page and "far more than a list of 20,000 pupils needs" in page
    )

    # What the worker does with it: refused in well under a second, holding little more than the file itself.
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = applying.pupils_import(
            school=world.school, filename="pupils.xlsx", content=bomb, dry_run=True
        )
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not result.ok and "would unpack to 2 GB" in result.errors[0].message
    assert elapsed < 1, f"{elapsed:.2f} s to refuse a 2 MB file"
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB while refusing a 2 MB file"


def test_a_file_one_pupil_over_the_limit_is_refused_without_reading_further(monkeypatch):
    """The limit is lowered to 30 so the test stays quick; the rows after the 31st pupil are never read."""
    monkeypatch.setattr(reading, "MAX_ROWS", 30)
    read = []
    cell_text = reading._cell_text
    monkeypatch.setattr(reading, "_cell_text", lambda value: read.append(value) or cell_text(value))
    # A sheet's top rows are read once to find the header, then every row is read one column wider than allowed.
    most = (reading.HEADER_SEARCH + 33) * (reading.MAX_COLUMNS + 1)

    exactly = reading.read_table("pupils.xlsx", _workbook([HEADER, *_pupils(30)]))
    assert len(exactly.rows) == 31

    read.clear()
    over = _workbook([["Pupils, exported today"], HEADER, *_pupils(31), *_pupils(2000, start=31)])
    with pytest.raises(reading.FileRejected) as refused:
        reading.read_table("pupils.xlsx", over)
    assert refused.value.errors[0].message == reading.MESSAGE_TOO_MANY
    assert len(read) <= most, len(read)

    read.clear()
    lines = "\n".join(",".join(row) for row in [HEADER, *_pupils(31 + 2000)])
    with pytest.raises(reading.FileRejected) as refused:
        reading.read_table("pupils.csv", lines.encode())
    assert refused.value.errors[0].message == reading.MESSAGE_TOO_MANY
    assert len(read) <= 32 * len(HEADER), len(read)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_floods_of_lines_and_columns_are_refused_with_a_reason(kind, monkeypatch):
    def file(rows):
        if kind == "xlsx":
            return _workbook(rows)
        return "\n".join(",".join(str(c) for c in row) for row in rows).encode()

    wide = [HEADER + [f"Extra {n}" for n in range(reading.MAX_COLUMNS)], *_pupils(2)]
    with pytest.raises(reading.FileRejected) as refused:
        reading.read_table(f"pupils.{kind}", file(wide))
    assert refused.value.errors[0].message == reading.MESSAGE_TOO_MANY_COLUMNS.format(line=1)

    if kind == "csv":  # a million blank lines cost 1 MB of CSV (here a thousand, to keep the test quick)
        monkeypatch.setattr(reading, "MAX_LINES", 1000)
        flood = b",".join(h.encode() for h in HEADER) + b"\n" + b"\n" * (reading.MAX_LINES + 1)
        started = time.perf_counter()
        with pytest.raises(reading.FileRejected) as refused:
            reading.read_table("pupils.csv", flood)
        assert (
            refused.value.errors[0].message == reading.MESSAGE_TOO_MANY_LINES
            and time.perf_counter() - started < 1
        )

    if (
        kind == "xlsx"
    ):  # what openpyxl would read whole, or fill in cell by cell: counted first, with low limits here
        monkeypatch.setattr(reading, "MAX_SHARED_STRINGS", 100)
        with pytest.raises(reading.FileRejected) as refused:
            reading.read_table("pupils.xlsx", _with_shared_strings(_workbook([HEADER, *_pupils(2)]), 101))
        assert refused.value.errors[0].message == reading.MESSAGE_TOO_MANY_TEXTS
        monkeypatch.setattr(reading, "MAX_MERGED_RANGES", 5)
        workbook = Workbook()
        for row in [HEADER, *_pupils(6)]:
            workbook.active.append(row)
        for n in range(2, 8):
            workbook.active.merge_cells(f"E{n}:F{n}")
        merged = io.BytesIO()
        workbook.save(merged)
        with pytest.raises(reading.FileRejected) as refused:
            reading.read_table("pupils.xlsx", merged.getvalue())
        assert refused.value.errors[0].message == reading.MESSAGE_TOO_MANY_MERGED

    with pytest.raises(reading.FileRejected) as refused:
        reading.read_table(f"pupils.{kind}", b"PK\x03\x04" + b" " * reading.MAX_FILE_BYTES)
    assert refused.value.errors[0].message == reading.MESSAGE_FILE_TOO_LARGE


def test_the_command_refuses_a_file_over_10_mb_before_reading_it(world, tmp_path):
    big = tmp_path / "pupils.csv"
    with big.open("wb") as handle:
        handle.truncate(reading.MAX_FILE_BYTES + 1)  # sparse: nothing is written to disk
    with pytest.raises(CommandError) as refused:
        call_command("import-pupils", str(big), "--school", world.school.urn)
    assert reading.MESSAGE_FILE_TOO_LARGE in str(refused.value) and refused.value.returncode == 1
