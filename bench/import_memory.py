"""The worker's peak memory and time while it checks an import file, for the largest files sencohub accepts.

Each file is checked by `sencohub import-pupils FILE --school URN --dry-run --json` in its own process, as the
background worker checks a browser upload (the same reader, the same limits); the peak is that process's
high-water resident set size (VmHWM in /proc/self/status, read as it exits: Linux only). Run with the project's
virtualenv:

    .venv/bin/python bench/import_memory.py

It makes a throwaway SQLite database and files in a temporary folder and prints one JSON report.
"""

import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SENCOHUB_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")

import django  # noqa: E402

django.setup()

from sencohub.register.mis.reading import (  # noqa: E402
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    XLSX_LIMITS,
)
from sencohub.statutory import upn  # noqa: E402

SENCOHUB = str(Path(sys.executable).parent / "sencohub")
HEADER = ["UPN", "Surname", "Forename", "Date of birth", "Gender", "Year group", "Class", "EAL", "FSM",
          "Pupil premium", "Looked after", "SEN provision", "Primary need", "Secondary need", "SEN start date"]  # fmt: skip
NEEDS = ["SLCN", "SEMH", "ASD", "SPLD", "MLD"]


def pupils(n: int, rng: random.Random):
    for i in range(n):
        sen = rng.choice("NNNNNKKE")
        yield [
            upn.make(801, 4001 + i // 1000, 20, i % 1000), f"Surname{i:05d}", rng.choice(["Amara", "Jakub", "Ada", "Ben"]),
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2010, 2019)}", rng.choice("FM"),
            str(rng.randint(1, 11)), f"{rng.randint(1, 11)}{rng.choice('ABCD')}", rng.choice("YN"), rng.choice("YN"),
            rng.choice("YN"), "N", sen, rng.choice(NEEDS) if sen != "N" else "", "", "",
        ]  # fmt: skip


def xlsx(rows, extra_columns: int = 0, rng: random.Random | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pupils")
    sheet.append(HEADER + [f"Extra {n + 1}" for n in range(extra_columns)])
    for row in rows:
        # Text unique to each cell, so that nothing is shared between cells when it is read.
        sheet.append(row + [f"{rng.random():.12f}" for _ in range(extra_columns)] if extra_columns else row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv(rows) -> bytes:
    return ("\n".join(",".join(row) for row in [HEADER, *rows]) + "\n").encode()


def with_shared_strings(rows, count: int) -> bytes:
    """A workbook whose shared strings (read whole by openpyxl) hold `count` distinct short texts in all."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    genuine = io.BytesIO()
    workbook.save(genuine)
    strings = [f"<si><t>{value}</t></si>".encode() for value in (c for row in [HEADER, *rows] for c in row)]
    n = len(strings)
    while n < count:
        text = f"<si><t>{n:x}</t></si>".encode()
        strings.append(text)
        n += 1
    body = b"".join(strings)
    xml = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (n, n)
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", override)
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", xml + body + b"</sst>")
    return out.getvalue()


def sheet_size(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.getinfo("xl/worksheets/sheet1.xml").file_size


# The command as the `sencohub` script runs it, telling its own peak memory on stderr as it exits. (The peak that
# os.wait4 reports would include this benchmark's own memory, which Linux carries over into a child at exec.)
MEASURED = """
import atexit, re, sys
def peak():
    status = open("/proc/self/status").read()
    sys.stderr.write("VmHWM " + re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1) + "\\n")
atexit.register(peak)
sys.argv = ["sencohub", *sys.argv[1:]]
from sencohub.manage import main
sys.exit(main())
"""


def check(path: Path, env: dict) -> dict:
    started = time.perf_counter()
    command = [
        sys.executable,
        "-c",
        MEASURED,
        "import-pupils",
        str(path),
        "--school",
        "990001",
        "--dry-run",
        "--json",
    ]
    process = subprocess.run(command, env=env, capture_output=True)
    peak_kb = int(process.stderr.decode().rsplit("VmHWM ", 1)[1].split()[0])
    report = json.loads(process.stdout or b"{}")
    errors = report.get("errors") or ([{"message": report["error"]}] if "error" in report else [])
    return {
        "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
        "accepted": process.returncode == 0,
        "refused_because": errors[0]["message"][:120] if errors else None,
        "peak_rss_mb": round(peak_kb / 1024),
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    rng = random.Random(12)
    folder = Path(tempfile.mkdtemp(prefix="sencohub-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
    subprocess.run([SENCOHUB, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([SENCOHUB, "add-school", "--urn", "990001", "--name", "Bench Secondary", "--phase", "secondary"],
                   env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip

    everyday = list(pupils(MAX_ROWS, rng))
    # The widest file within the limits: as many columns of unique text as keep the sheet under its limit.
    extra = 35
    widest = xlsx(everyday, extra, rng)
    files = {
        "one pupil (Django and the command alone)": ("one.csv", csv(everyday[:1])),
        f"{MAX_ROWS:,} pupils, 15 columns, CSV": ("everyday.csv", csv(everyday)),
        f"{MAX_ROWS:,} pupils, 15 columns, Excel": ("everyday.xlsx", xlsx(everyday)),
        f"{MAX_ROWS:,} pupils, {15 + extra} columns of unique text, Excel (the largest accepted)": (
            "widest.xlsx",
            widest,
        ),
        f"2,000 pupils, Excel, {MAX_SHARED_STRINGS:,} distinct texts (the most accepted)": (
            "strings.xlsx",
            with_shared_strings(everyday[:2000], MAX_SHARED_STRINGS),
        ),
        "2,000 pupils, Excel, 1,300,000 distinct short texts (refused)": (
            "more-strings.xlsx",
            with_shared_strings(everyday[:2000], 1_300_000),
        ),
        f"{MAX_ROWS + 1:,} pupils, Excel (refused at the limit plus one)": (
            "over.xlsx",
            xlsx(everyday + list(pupils(1, rng))),
        ),
    }
    from tests.pupils.test_import_bounds import zip_bomb  # the one the tests try

    files["a zip bomb: 2 MB that unpacks to 2 GB (refused)"] = ("bomb.xlsx", zip_bomb())
    report = {
        "limits": {"file_bytes": MAX_FILE_BYTES, "rows": MAX_ROWS, "columns": MAX_COLUMNS,
                   "sheet_unpacked_bytes": XLSX_LIMITS.streamed_bytes, "other_part_unpacked_bytes": XLSX_LIMITS.part_bytes},
        "widest_sheet_unpacked_mb": round(sheet_size(widest) / 1024 / 1024, 1),
        "files": {},
    }  # fmt: skip
    for label, (name, content) in files.items():
        path = folder / name
        path.write_bytes(content)
        report["files"][label] = check(path, env)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
