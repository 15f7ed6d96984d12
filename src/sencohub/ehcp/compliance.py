"""The compliance report: every statutory date of the EHC work a person can see, by state and optionally by LA."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from sencohub.ehcp import excusing, milestones
from sencohub.ehcp.milestones import Milestone
from sencohub.ehcp.models import AssessmentRequest
from sencohub.ehcp.selectors import ehc_scope, plans_not_recorded
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.permissions import Action
from sencohub.statutory import national
from sencohub.statutory import timelines as t

SECTIONS = [
    (t.OVERDUE, "Overdue"),
    (t.DUE_SOON, "Due in the next two weeks"),
    (t.UPCOMING, "Coming up in the next three months"),
    (t.MET_LATE, "Met late in the last twelve months"),
    (t.MET, "Met in the last twelve months"),
    (milestones.NOT_RECORDED, "Not recorded, and can no longer be done (due in the last twelve months)"),
]
LOOK_AHEAD_DAYS = 92
LOOK_BACK_DAYS = 365
SECTION_LIMIT = 200  # rows a section shows on the page; the downloads hold every row


@dataclass
class Section:
    state: str
    title: str
    items: list[Milestone]

    @property
    def shown(self) -> list[Milestone]:
        return self.items[:SECTION_LIMIT]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - SECTION_LIMIT)


@dataclass
class Group:
    title: str
    sections: list[Section]


@dataclass
class Timeliness:
    """Final plans issued within 20 weeks (Regs 13(2)), over all cases and leaving out the cases where a recorded
    exception excuses the 20-week limit (Regs 13(3)), as the DfE reports them."""

    issued: int = 0
    in_time: int = 0
    issued_without_exceptions: int = 0
    in_time_without_exceptions: int = 0

    @staticmethod
    def percent(part: int, whole: int) -> str:
        return f"{100 * part / whole:.1f}%" if whole else "–"

    @property
    def with_exceptions(self) -> str:
        return self.percent(self.in_time, self.issued)

    @property
    def without_exceptions(self) -> str:
        return self.percent(self.in_time_without_exceptions, self.issued_without_exceptions)

    def count(self, in_time: bool, excused: bool) -> None:
        self.issued += 1
        self.in_time += in_time
        if not excused:
            self.issued_without_exceptions += 1
            self.in_time_without_exceptions += in_time


@dataclass
class TimelinessRow:
    """One line of the 20-week figures: a calendar year of issue (the DfE's unit), for one LA when grouped by LA,
    beside England's published figure for that year; `year` None is every year together (pooled)."""

    authority: str
    year: int | None
    figures: Timeliness

    @property
    def england(self) -> tuple[float, float] | None:
        return national.EHC_PLANS_WITHIN_20_WEEKS_PERCENT.get(self.year) if self.year else None


@dataclass
class Report:
    today: dt.date
    group_by_la: bool
    counts: dict[str, int]
    groups: list[Group]
    timeliness: Timeliness = field(default_factory=Timeliness)  # every year together (pooled)
    timeliness_years: list[TimelinessRow] = field(default_factory=list)
    rows: list[Milestone] = field(default_factory=list)
    # Pupils recorded as E with no EHC plan record: no statutory date can be worked out for them.
    not_recorded: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _shown(m: Milestone, today: dt.date) -> bool:
    if m.state in (t.MET, t.MET_LATE):
        return m.done_on is not None and m.done_on >= t.add_days(today, -LOOK_BACK_DAYS)
    if m.state == t.UPCOMING:
        return m.due <= t.add_days(today, LOOK_AHEAD_DAYS)
    if m.state == milestones.NOT_RECORDED:
        return m.due >= t.add_days(today, -LOOK_BACK_DAYS)
    return True


def _issued(requests: list[AssessmentRequest]):
    """(request, in time, 20-week limit excused) for every EHC needs assessment that ended in a final plan."""
    for r in requests:
        if r.kind != AssessmentRequest.Kind.ASSESSMENT or r.received_on is None or r.final_plan_on is None:
            continue
        try:
            in_time = r.final_plan_on <= t.add_weeks(r.received_on, 20)
        except OverflowError:  # a date stored far outside any plausible window (9999-12-31): not counted
            continue
        yield r, in_time, excusing.final_plan_excused(r)


def timeliness(requests: list[AssessmentRequest]) -> Timeliness:
    """Every year together: a pooled figure, which the DfE does not publish (it reports each calendar year)."""
    result = Timeliness()
    for _, in_time, excused in _issued(requests):
        result.count(in_time, excused)
    return result


def timeliness_by_year(
    requests: list[AssessmentRequest], *, group_by_la: bool = False
) -> list[TimelinessRow]:
    """One row per calendar year in which final plans were issued (per LA asked to assess, when grouped by LA)."""
    rows: dict[tuple[str, int], Timeliness] = {}
    for r, in_time, excused in _issued(requests):
        authority = f"{r.local_authority.name} ({r.local_authority.code})" if group_by_la else ""
        rows.setdefault((authority, r.final_plan_on.year), Timeliness()).count(in_time, excused)
    return [TimelinessRow(authority, year, figures) for (authority, year), figures in sorted(rows.items())]


def _records(user, schools) -> tuple[list, list]:
    """The EHC needs assessment requests and plans the person sees in `schools` (two queries)."""
    # Schools where the person sees every EHC record, and those (an LA officer's) where only some.
    by_scope: dict[str, tuple[Q, list]] = {}
    for school in schools:
        limit = ehc_scope(user, school)
        by_scope.setdefault(repr(limit), (limit, []))[1].append(school.pk)
    scope = Q(pk__in=[])
    for limit, school_ids in by_scope.values():
        scope |= Q(school_id__in=school_ids) & limit
    pupils = pupils_for_user(user, action=Action.VIEW_COMPLIANCE).values("pk")
    requests = list(milestones.request_queryset().filter(scope, pupil__in=pupils))
    plans = list(milestones.plan_queryset().filter(scope, pupil__in=pupils))
    return requests, plans


@dataclass
class SchoolDeadlines:
    """One school's line on a trust's dashboard: annual reviews overdue and the 20-week timeliness."""

    reviews_overdue: int = 0
    timeliness: Timeliness = field(default_factory=Timeliness)


def by_school(user, schools, today: dt.date) -> dict[int, SchoolDeadlines]:
    """Annual reviews overdue and final plans issued within 20 weeks, for each school by its id (a fixed number
    of queries whatever the number of schools)."""
    schools = list(schools)
    requests, plans = _records(user, schools)
    out = {school.pk: SchoolDeadlines() for school in schools}
    for m in milestones.for_pupil_records([], plans, today):
        if m.key == "review_due" and m.state == t.OVERDUE and m.pupil.school_id in out:
            out[m.pupil.school_id].reviews_overdue += 1
    for r, in_time, excused in _issued(requests):
        if r.school_id in out:
            out[r.school_id].timeliness.count(in_time, excused)
    return out


def report(user, schools, today: dt.date, *, group_by_la: bool = False) -> Report:
    requests, plans = _records(user, schools)
    found = [m for m in milestones.for_pupil_records(requests, plans, today) if _shown(m, today)]
    counts = {state: sum(1 for m in found if m.state == state) for state, _ in SECTIONS}
    if group_by_la:
        by_la: dict[str, list[Milestone]] = {}
        for m in found:
            by_la.setdefault(f"{m.local_authority.name} ({m.local_authority.code})", []).append(m)
        groups = [Group(title, _sections(items)) for title, items in sorted(by_la.items())]
    else:
        groups = [Group("", _sections(found))]
    return Report(
        today=today,
        group_by_la=group_by_la,
        counts=counts,
        groups=groups,
        timeliness=timeliness(requests),
        timeliness_years=timeliness_by_year(requests, group_by_la=group_by_la),
        rows=found,
        not_recorded=list(plans_not_recorded(user, [s.pk for s in schools])),
    )


def _sections(items: list[Milestone]) -> list[Section]:
    out = []
    for state, title in SECTIONS:
        chosen = [m for m in items if m.state == state]
        if state in (t.MET, t.MET_LATE):
            chosen.sort(key=lambda m: m.done_on, reverse=True)
        out.append(Section(state, title, chosen))
    return out


COLUMNS = [
    "School",
    "URN",
    "UPN",
    "Surname",
    "Forename",
    "Local authority",
    "LA code",
    "Case",
    "What",
    "Detail",
    "Due by",
    "Done",
    "State",
    "Who acts",
    "Rule",
    "Source",
]


def rows_for_download(report: Report) -> list[list]:
    out = []
    for m in sorted(report.rows, key=lambda m: (m.pupil.school.name, m.due)):
        p, la = m.pupil, m.local_authority
        out.append(
            [
                p.school.name,
                p.school.urn,
                p.upn,
                p.surname,
                p.forename,
                la.name,
                la.code,
                m.case,
                m.label,
                m.detail,
                m.due.isoformat(),
                m.done_on.isoformat() if m.done_on else "",
                m.state,
                m.responsible,
                m.rule,
                m.source,
            ]
        )
    return out
