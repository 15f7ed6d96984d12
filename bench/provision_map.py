"""Benchmark: the provision map, the provisions list and the impact page for a 2,000-pupil school with a year of sessions.

Builds 2,000 pupils (390 with SEN), 80 provisions of groups of 4 to 6, three sessions a week for 39 weeks with
registers, and entry and exit measures, then reports each page's SQL queries and median time (5 requests).
Run with `make bench` (SQLite) or with DATABASE_URL set; figures in docs/performance.md.
"""

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time

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

from sencohub.provision.catalogue import catalogue_seed  # noqa: E402
from sencohub.provision.models import Attendance, Enrolment, Intervention, PayBand, Provision, Session  # noqa: E402
from sencohub.pupils.models import Pupil  # noqa: E402
from sencohub.schools.models import LocalAuthority, Role, School  # noqa: E402
from sencohub.schools.services import user_add  # noqa: E402
from sencohub.statutory import upn  # noqa: E402


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    today = dt.date.today()
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    la = LocalAuthority.objects.create(code="801", name="Bristol, City of")
    school = School.objects.create(urn="900011", name="Bench Secondary", phase="secondary", local_authority=la)
    pupils = Pupil.objects.bulk_create([
        Pupil(school=school, upn=upn.make(801, 7001, 10 + i // 1000, i % 1000), surname=f"S{i}", forename=f"F{i}",
              date_of_birth=dt.date(2012, 1 + i % 12, 1 + i % 28), year_group=str(7 + i % 5),
              sen_provision="E" if i % 19 == 0 else ("K" if i % 7 == 0 else "N"))
        for i in range(2000)
    ], batch_size=1000)  # fmt: skip
    sen = [p for p in pupils if p.sen_provision != "N"]
    catalogue_seed(school)
    band = PayBand.objects.create(school=school, name="Teaching assistant", hourly_pence=1540)
    interventions = list(Intervention.objects.filter(school=school))
    start = time.perf_counter()
    provisions, enrolments, index = [], [], 0
    for n in range(80):
        provisions.append(Provision(
            school=school, intervention=interventions[n % len(interventions)], name=f"Group {n}", staff="TA", pay_band=band,
            starts_on=year_start, ends_on=year_start + dt.timedelta(weeks=43), sessions_per_week=3, minutes=20, other_costs_pence=5000,
        ))  # fmt: skip
    Provision.objects.bulk_create(provisions)
    for provision in provisions:
        for _ in range(rng.randint(4, 6)):
            enrolments.append(Enrolment(provision=provision, pupil=sen[index % len(sen)], measure="standardised",
                                        entry_value=rng.randint(70, 90), exit_value=rng.randint(72, 98)))  # fmt: skip
            index += 1
    Enrolment.objects.bulk_create(enrolments, ignore_conflicts=True)
    sessions = [Session(provision=p, held_on=year_start + dt.timedelta(weeks=w, days=d)) for p in provisions
                for w in range(39) for d in (0, 2, 4)]  # fmt: skip
    Session.objects.bulk_create(sessions, batch_size=2000)
    members: dict[int, list[int]] = {}
    for e in Enrolment.objects.values_list("provision_id", "pupil_id"):
        members.setdefault(e[0], []).append(e[1])
    Attendance.objects.bulk_create(
        [Attendance(session=s, pupil_id=pid, present=rng.random() < 0.9) for s in sessions for pid in members[s.provision_id]],
        batch_size=5000,
    )  # fmt: skip
    build = round(time.perf_counter() - start, 1)
    senco, _ = user_add(email="senco@bench.test", school_urn="900011", role=Role.SENCO, password="x")
    enrolled(senco)
    client = Client()
    client.force_login(senco)
    print(json.dumps({
        "database": connection.vendor, "pupils": len(pupils), "provisions": len(provisions), "sessions": len(sessions),
        "attendance_marks": Attendance.objects.count(), "build_seconds": build,
        "map": page(client, "/schools/900011/provision/"), "provisions_list": page(client, "/schools/900011/provision/groups/"),
        "impact": page(client, "/schools/900011/provision/impact/"), "python": sys.version.split()[0],
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
