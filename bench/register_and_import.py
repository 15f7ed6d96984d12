"""Benchmark: a 2,000-pupil secondary school and a 300-school local authority.

Reports, for the import and the register page, the time taken and the number of SQL queries.
Run with `make bench` (SQLite in a temporary file) or with DATABASE_URL set to use PostgreSQL.
Figures are recorded in docs/performance.md.
"""

import datetime as dt
import json
import os
import random
import statistics
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

from sencohub.ehcp.models import AnnualReview, EhcPlan  # noqa: E402
from sencohub.pupils.models import Pupil  # noqa: E402
from sencohub.register.mis.applying import pupils_import  # noqa: E402
from sencohub.register.models import Need  # noqa: E402
from sencohub.schools.models import LocalAuthority, Membership, Role, School, Trust  # noqa: E402
from sencohub.schools.services import user_add  # noqa: E402
from sencohub.statutory import upn  # noqa: E402

TODAY = dt.date(2026, 11, 23)
NEEDS = ["SLCN", "ASD", "SEMH", "SPLD", "MLD"]


def csv_for(n: int, la: int, establishment: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = ["upn,surname,forename,date_of_birth,gender,year_group,class,eal,fsm,pupil_premium,looked_after,sen_provision,primary_need,secondary_need,sen_start_date"]
    for i in range(n):
        year = 7 + i % 5
        provision = "E" if i % 19 == 0 else ("K" if i % 7 == 0 else "N")
        primary = rng.choice(NEEDS) if provision != "N" else ""
        lines.append(
            f"{upn.make(la, establishment, 10 + i // 1000, i % 1000)},Surname{i},Forename{i},"
            f"{2015 - (year - 7)}-0{1 + i % 9}-1{i % 9},{'FM'[i % 2]},{year},{year}{'ABCDEFGH'[i % 8]},"
            f"{'YN'[i % 2]},{'NY'[i % 4 == 0]},{'NY'[i % 4 == 0]},N,{provision},{primary},,"
            f"{'2024-09-0' + str(1 + i % 9) if provision != 'N' else ''}"
        )
    return ("\n".join(lines) + "\n").encode()


def timed(fn, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    report = {"database": connection.vendor, "python": sys.version.split()[0]}

    la = LocalAuthority.objects.create(code="801", name="Bristol, City of")
    secondary = School.objects.create(urn="900001", name="Bench Secondary", phase="secondary", local_authority=la, shares_with_local_authority=True)
    content = csv_for(2000, 801, 4001, seed=1)
    result, seconds = timed(lambda: pupils_import(school=secondary, filename="bench.csv", content=content, today=TODAY))
    assert result.ok and result.created == 2000, result.errors[:3]
    report["import_2000_new_seconds"] = round(seconds, 2)
    again, seconds = timed(lambda: pupils_import(school=secondary, filename="bench.csv", content=content, today=TODAY))
    assert again.unchanged == 2000
    report["reimport_2000_unchanged_seconds"] = round(seconds, 2)
    dry, seconds = timed(lambda: pupils_import(school=secondary, filename="bench.csv", content=content, dry_run=True, today=TODAY))
    report["dry_run_2000_seconds"] = round(seconds, 2)

    senco, _ = user_add(email="senco@bench.test", school_urn="900001", role=Role.SENCO, password="x")
    client = Client()
    client.force_login(enrolled(senco))
    report["register_page_2000_pupils"] = page(client, "/schools/900001/register/")
    report["register_page_2000_filtered"] = page(client, "/schools/900001/register/?provision=K&year_group=9")
    some = Pupil.objects.filter(school=secondary, sen_provision="E").first()
    report["pupil_page"] = page(client, f"/schools/900001/pupils/{some.upn}/")

    # A 300-school local authority: 299 more schools of 200 pupils each, sharing with the LA.
    start = time.perf_counter()
    schools = School.objects.bulk_create(
        [School(urn=f"{910000 + i:06d}", name=f"Bench School {i}", phase="primary", local_authority=la, shares_with_local_authority=True) for i in range(299)]
    )
    pupils, needs = [], []
    for s_index, school in enumerate(schools):
        for i in range(200):
            provision = "E" if i % 19 == 0 else ("K" if i % 7 == 0 else "N")
            pupils.append(Pupil(school=school, upn=upn.make(801, 5000 + s_index, 10, i), surname=f"S{i}", forename=f"F{i}",
                                date_of_birth=dt.date(2017, 1 + i % 12, 1 + i % 28), year_group=str(1 + i % 6), sen_provision=provision))  # fmt: skip
    Pupil.objects.bulk_create(pupils, batch_size=2000)
    for p in pupils:
        if p.sen_provision != "N":
            needs.append(Need(pupil=p, sen_type=NEEDS[p.pk % 5], rank=1))
    Need.objects.bulk_create(needs, batch_size=2000)
    # Every pupil with an EHC plan has its plan, maintained by the LA, and most a review held last year.
    plans = EhcPlan.objects.bulk_create(
        [EhcPlan(pupil=p, school_id=p.school_id, local_authority=la, issued_on=dt.date(2021 + p.pk % 5, 1 + p.pk % 12, 1 + p.pk % 28))
         for p in Pupil.objects.filter(sen_provision="E").only("pk", "school_id")], batch_size=2000,
    )  # fmt: skip
    AnnualReview.objects.bulk_create(
        [AnnualReview(plan=plan, pupil_id=plan.pupil_id, meeting_on=plan.issued_on + dt.timedelta(days=350 + plan.pk % 30))
         for plan in plans if plan.pk % 4], batch_size=2000,
    )  # fmt: skip
    # Fifty of the schools belong to one trust.
    trust = Trust.objects.create(name="Bench Trust")
    School.objects.filter(pk__in=[s.pk for s in schools[:50]]).update(trust=trust)
    report["la_build_seconds"] = round(time.perf_counter() - start, 1)
    report["la_pupils"] = Pupil.objects.count()
    report["la_ehc_plans"] = len(plans)

    officer, _ = user_add(email="officer@bench.test", school_urn="900001", role=Role.LA_OFFICER, password="x")
    client.force_login(enrolled(officer))
    report["la_officer_home_300_schools"] = page(client, "/?stay=1")
    report["la_officer_register_of_one_school"] = page(client, "/schools/910150/register/")
    report["la_officer_compliance_300_schools"] = page(client, "/compliance/", repeat=3)
    lead, _ = user_add(email="lead@bench.test", school_urn="910000", role=Role.TRUST_SEND_LEAD, password="x")
    client.force_login(enrolled(lead))
    report["trust_lead_compliance_50_schools"] = page(client, "/compliance/", repeat=3)
    client.force_login(senco)
    report["senco_register_page_with_300_schools_in_database"] = page(client, "/schools/900001/register/")
    report["senco_compliance_page"] = page(client, "/schools/900001/compliance/")
    assert Membership.objects.count() == 3
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
