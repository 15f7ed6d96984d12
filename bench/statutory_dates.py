"""Benchmark: every statutory date for 640,000 EHC plans (England's number), on one core.

Each plan gets its annual review dates from its last review (or its issue date) with a meeting and, for a
third of them, amendments; a tenth are in an assessment, a twentieth in a phase transfer, a fiftieth in an
appeal. Pure functions only (`sencohub.statutory.timelines`), as the compliance pages and the digest use them.
Budget: under 10 seconds. Run with `make bench`; figures in docs/performance.md.
"""

import datetime as dt
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from sencohub.statutory import timelines as t  # noqa: E402

PLANS = 640_000


def cases(n: int, seed: int = 1):
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1).toordinal()
    for _ in range(n):
        issued = dt.date.fromordinal(start + rng.randrange(0, 4000))
        last = issued + dt.timedelta(days=rng.randrange(0, 1200)) if rng.random() < 0.7 else None
        meeting = (last or issued) + dt.timedelta(days=rng.randrange(330, 380))
        amendments = meeting + dt.timedelta(days=rng.randrange(14, 40)) if rng.random() < 0.33 else None
        yield issued, last, meeting, amendments, rng.random()


def main():
    data = list(cases(PLANS))
    started = time.process_time()
    wall = time.perf_counter()
    dates = 0
    for issued, last, meeting, amendments, roll in data:
        if last is None:
            found = t.annual_review(plan_issued=issued, meeting=meeting, amendments_sent=amendments)
        else:
            found = t.annual_review(last_review=last, meeting=meeting, amendments_sent=amendments)
        dates += len(found)
        if roll < 0.1:
            dates += len(t.ehc_assessment(issued, advice_requested=issued + dt.timedelta(weeks=7), draft_sent=issued + dt.timedelta(weeks=15)))
        if roll < 0.05:
            dates += len(t.phase_transfer(meeting, "school"))
        if roll < 0.02:
            dates += len(t.appeal(meeting, meeting + dt.timedelta(days=30)))
    cpu = time.process_time() - started
    print(json.dumps({
        "plans": PLANS, "dates": dates, "cpu_seconds": round(cpu, 2), "wall_seconds": round(time.perf_counter() - wall, 2),
        "python": sys.version.split()[0], "budget_seconds": 10,
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
