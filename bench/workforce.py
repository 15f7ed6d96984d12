"""Benchmark: the LA's SENCo workforce view across 300 schools, and its exports.

Builds an LA of 300 sharing schools, each with a SENCo in one of the states (qualified, on a course, due soon,
overdue, not required), one in twenty vacant, one in three with a predecessor who left, then reports each page's
SQL queries and median time (5 requests). The same pages are first measured at 100 schools, to show the number
of queries does not grow with the number of schools.
Run with `make bench` (SQLite) or with DATABASE_URL set; figures in docs/performance.md.
"""

import datetime as dt
import json
import os
import random
import sys
import tempfile
from decimal import Decimal

if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("SENCOHUB_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sencohub.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pages import enrolled, page  # noqa: E402

from sencohub.schools.models import LocalAuthority, Role, School  # noqa: E402
from sencohub.schools.services import user_add  # noqa: E402
from sencohub.workforce.models import Appointment, Qualification  # noqa: E402

PAGES = ["/sencos/", "/sencos/export.csv", "/sencos/export.xlsx", "/sencos/anonymised.csv"]


def add_schools(la, first: int, last: int, rng: random.Random) -> None:
    schools = School.objects.bulk_create([
        School(urn=f"{700000 + n}", name=f"Bench School {n:03d}", phase=School.Phase.PRIMARY if n % 4 else School.Phase.SECONDARY,
               local_authority=la, shares_with_local_authority=True)
        for n in range(first, last)
    ])  # fmt: skip
    appointments, courses = [], []
    for n, school in enumerate(schools, start=first):
        if n % 3 == 0:
            appointments.append(Appointment(school=school, name=f"Former SENCo {n}", starts_on=dt.date(2012, 9, 1),
                                            ends_on=dt.date(2020 + n % 6, 7, 31), leaving_reason=rng.choice(list(Appointment.Leaving))))  # fmt: skip
        if n % 20 == 7:
            continue  # a vacancy
        starts = dt.date(2005 + n % 21, 1 + n % 12, 1)
        appointments.append(Appointment(school=school, name=f"SENCo {n}", starts_on=starts, fte=Decimal(rng.choice(["0.5", "0.8", "1.0"])),
                                        hours_per_week=Decimal(rng.randrange(5, 30)), protected_hours=Decimal(rng.randrange(0, 10)),
                                        on_slt=rng.random() < 0.5, admin_hours=Decimal(rng.randrange(0, 6))))  # fmt: skip
    Appointment.objects.bulk_create(appointments)
    for a in Appointment.objects.filter(school__in=schools, ends_on__isnull=True):
        if rng.random() < 0.7:
            kind = Qualification.Kind.NPQ if a.starts_on.year >= 2024 else Qualification.Kind.NASENCO
            done = rng.random() < 0.6
            courses.append(Qualification(appointment=a, kind=kind, started_on=a.starts_on + dt.timedelta(days=60),
                                         completed_on=a.starts_on + dt.timedelta(days=700) if done else None,
                                         status="completed" if done else "in_progress"))  # fmt: skip
    Qualification.objects.bulk_create(courses)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(6)
    la = LocalAuthority.objects.create(code="999", name="Bench LA")
    add_schools(la, 0, 100, rng)
    officer, _ = user_add(email="officer@bench.test", school_urn="700000", role=Role.LA_OFFICER, password="x")
    enrolled(officer)
    client = Client()
    client.force_login(officer)
    client.get("/")  # the first request of a session writes it; not the page's own work
    at_100 = [page(client, url) for url in PAGES]
    add_schools(la, 100, 300, rng)
    at_300 = [page(client, url) for url in PAGES]
    print(json.dumps({
        "database": connection.vendor,
        "schools": School.objects.filter(local_authority=la).count(),
        "appointments": Appointment.objects.count(),
        "qualifications": Qualification.objects.count(),
        "at_100_schools": at_100,
        "at_300_schools": at_300,
    }, indent=2))  # fmt: skip
    grew = [a["url"] for a, b in zip(at_100, at_300, strict=True) if b["queries"] != a["queries"]]
    if grew:
        print(f"Queries grew with the number of schools: {grew}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
