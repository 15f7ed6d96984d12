"""Benchmark: a 20,000-row import while 20 people load the SEN register at once.

The import runs as `sencohub import-pupils` in its own process (as the background worker would run it),
writing to the same database that 20 threads are reading the register page from, in rounds of 20 at once,
until it ends. Reports the import's time, every page load's time, and how many failed (for example with
SQLite's "database is locked"). Run with `make bench` or `SENCOHUB_TESTING=1 .venv/bin/python
bench/import_under_load.py` (SQLite in a temporary file; set DATABASE_URL to use PostgreSQL).
Figures are recorded in docs/performance.md.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("SENCOHUB_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pages import enrolled  # noqa: E402
from register_and_import import csv_for  # noqa: E402

from sencohub.register.mis.applying import pupils_import  # noqa: E402
from sencohub.schools.models import LocalAuthority, Role, School  # noqa: E402
from sencohub.schools.services import user_add  # noqa: E402

ROWS = 20_000
READERS = 20
SENCOHUB = str(Path(sys.executable).parent / "sencohub")


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    la = LocalAuthority.objects.create(code="801", name="Bristol, City of")
    school = School.objects.create(urn="900001", name="Bench Secondary", phase="secondary", local_authority=la)
    # The school already has 2,000 pupils on its register; the big file adds 18,000 more.
    assert pupils_import(school=school, filename="first.csv", content=csv_for(2000, 801, 4001, seed=1)).created == 2000
    senco, _ = user_add(email="senco@bench.test", school_urn="900001", role=Role.SENCO, password="x")
    enrolled(senco)
    big = Path(tempfile.mkdtemp()) / "big.csv"
    big.write_bytes(csv_for(ROWS, 801, 4001, seed=1))
    connections.close_all()

    local = threading.local()

    def load(_):
        if not hasattr(local, "client"):
            local.client = Client()
            local.client.force_login(senco)
        start = time.perf_counter()
        try:
            status = local.client.get("/schools/900001/register/").status_code
        except Exception as exc:  # an error raised in the page, e.g. OperationalError: database is locked
            status = type(exc).__name__ + ": " + str(exc)[:80]
        return status, time.perf_counter() - start

    with ThreadPoolExecutor(READERS) as pool:  # the same 20 loads at once with no import, to compare
        baseline = sorted(t for _, t in pool.map(load, range(READERS)))
    results = []
    started = time.perf_counter()
    importer = subprocess.Popen(
        [SENCOHUB, "import-pupils", str(big), "--school", "900001", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ,
    )  # fmt: skip
    with ThreadPoolExecutor(READERS) as pool:
        while importer.poll() is None:
            results += list(pool.map(load, range(READERS)))
        pool.map(lambda _: connections.close_all(), range(READERS))
    import_seconds = time.perf_counter() - started
    out, err = importer.communicate()
    assert importer.returncode == 0, err
    report = json.loads(out)
    times = sorted(t for _, t in results)
    failures = [s for s, _ in results if s != 200]
    print(json.dumps({
        "database": connection.vendor,
        "import_rows": ROWS,
        "import_created": report["created"],
        "import_seconds_with_readers": round(import_seconds, 1),
        "register_20_at_once_without_import_median_seconds": round(statistics.median(baseline), 2),
        "register_20_at_once_without_import_max_seconds": round(baseline[-1], 2),
        "register_loads": len(results),
        "register_loads_failed": len(failures),
        "failures": sorted(set(map(str, failures)))[:5],
        "register_median_seconds": round(statistics.median(times), 2) if times else None,
        "register_p95_seconds": round(times[int(0.95 * (len(times) - 1))], 2) if times else None,
        "register_max_seconds": round(times[-1], 2) if times else None,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
