"""Benchmark: bulk print of 300 current support plans as one PDF and as a ZIP of Word files.

Builds a school with 300 pupils on SEN support, each with a plan of 3 outcomes, 3 strategies and a provision,
then times `support.documents.bundle_pdf` and `bundle_docx` as the print task runs them. Budget: under a
minute on this machine. Run with `make bench`; figures in docs/performance.md.
"""

import datetime as dt
import json
import os
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

from sencohub.pupils.models import Pupil  # noqa: E402
from sencohub.register.models import Need  # noqa: E402
from sencohub.schools.models import LocalAuthority, School  # noqa: E402
from sencohub.statutory import upn  # noqa: E402
from sencohub.support.documents import SUPPORT_PLAN, bundle_docx, bundle_pdf  # noqa: E402
from sencohub.support.models import Outcome, PlannedProvision, Strategy, SupportPlan  # noqa: E402
from sencohub.support.printing import contexts_for  # noqa: E402

PLANS = 300


def main():
    call_command("migrate", verbosity=0)
    la = LocalAuthority.objects.create(code="801", name="Bristol, City of")
    school = School.objects.create(urn="900009", name="Bench Primary", local_authority=la)
    pupils = Pupil.objects.bulk_create([
        Pupil(school=school, upn=upn.make(801, 6001, 11, i), surname=f"Surname{i}", forename=f"Forename{i}",
              date_of_birth=dt.date(2016, 1 + i % 12, 1 + i % 28), year_group=str(1 + i % 6), sen_provision="K")
        for i in range(PLANS)
    ])  # fmt: skip
    Need.objects.bulk_create([Need(pupil=p, sen_type="SPLD", rank=1) for p in pupils])
    plans = SupportPlan.objects.bulk_create([
        SupportPlan(pupil=p, school=school, starts_on=dt.date(2026, 9, 7), review_on=dt.date(2026, 12, 18),
                    assessment="Reading and spelling well below age; strong verbal reasoning.") for p in pupils
    ])  # fmt: skip
    Outcome.objects.bulk_create([
        Outcome(plan=plan, what=f"Outcome {n}: reads 40 words a minute", success_criteria="Three timed readings",
                baseline="28 wpm", target="40 wpm", by_when=dt.date(2026, 12, 18), responsible="Class teacher")
        for plan in plans for n in range(3)
    ])  # fmt: skip
    Strategy.objects.bulk_create([Strategy(plan=plan, text=f"Strategy {n}", owner="All staff") for plan in plans for n in range(3)])
    PlannedProvision.objects.bulk_create([PlannedProvision(plan=plan, description="Reading group", sessions_per_week=3,
                                                           minutes=20, group_size=4, staff="TA") for plan in plans])  # fmt: skip
    started = time.perf_counter()
    kind, items = contexts_for("plans", school)
    contexts_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pdf = bundle_pdf(kind, [c for _, c in items])
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    archive = bundle_docx(SUPPORT_PLAN.build_default(), items)
    docx_seconds = time.perf_counter() - started
    print(json.dumps({
        "plans": len(items), "contexts_seconds": round(contexts_seconds, 2), "pdf_seconds": round(pdf_seconds, 1),
        "pdf_bytes": len(pdf), "docx_zip_seconds": round(docx_seconds, 1), "zip_bytes": len(archive),
        "python": sys.version.split()[0], "budget_seconds": 60,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
