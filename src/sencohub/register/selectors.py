"""Reads of the SEN register. The register is a query over pupils, never a copy of them."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from sencohub.pupils.models import Pupil, year_group_label, year_group_sort_key
from sencohub.pupils.selectors import pupils_for_user
from sencohub.register.models import Concern, Need
from sencohub.schools.permissions import Action
from sencohub.statutory import census, disclosure, national

FILTERS = (
    "provision",
    "need",
    "area",
    "year_group",
    "class_group",
    "pupil_premium",
    "eal",
    "looked_after",
    "q",
)


@dataclass(frozen=True)
class RegisterFilters:
    provision: str = ""  # "", "E", "K", "SEN" (E or K), "N"
    need: str = ""
    area: str = ""
    year_group: str = ""
    class_group: str = ""
    pupil_premium: str = ""  # "", "yes", "no"
    eal: str = ""
    looked_after: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data) -> "RegisterFilters":
        values = {name: (data.get(name) or "").strip() for name in FILTERS}
        if values["provision"] not in ("", "E", "K", "N", "SEN", "all"):
            values["provision"] = ""
        if values["need"] not in census.SEN_TYPES:
            values["need"] = ""
        if values["area"] not in census.AREAS_OF_NEED:
            values["area"] = ""
        for flag in ("pupil_premium", "eal", "looked_after"):
            if values[flag] not in ("", "yes", "no"):
                values[flag] = ""
        values["q"] = values["q"][:100]
        return cls(**values)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FILTERS)

    def name_only(self) -> "RegisterFilters":
        """The same name search over every pupil, whatever their SEN provision or other details."""
        return RegisterFilters(provision="all", q=self.q)


@dataclass(frozen=True)
class RegisterSearch:
    pupils: QuerySet[Pupil]
    # True when a name search found pupils the filters would have hidden, so the filters were cleared.
    filters_cleared: bool = False


def register_search(*, user, school, filters: RegisterFilters) -> RegisterSearch:
    """The register as filtered, except that a name or UPN search finds every pupil so named.

    Someone looking for a pupil by name wants that pupil, not to learn that year 5 and SEMH hide them: when the
    filters would hide any pupil the name matches, the search runs over all the pupils the person may see."""
    pupils = register_for_school(user=user, school=school, filters=filters)
    if not filters.q or filters == filters.name_only():
        return RegisterSearch(pupils)
    everyone = register_for_school(user=user, school=school, filters=filters.name_only())
    if everyone.count() > pupils.count():
        return RegisterSearch(everyone, filters_cleared=True)
    return RegisterSearch(pupils)


def register_for_school(*, user, school, filters: RegisterFilters) -> QuerySet[Pupil]:
    """Pupils on the SEN register (E or K) of one school that the person may see, filtered."""
    pupils = pupils_for_user(user, action=Action.VIEW_REGISTER).filter(school=school)
    provision = filters.provision or "SEN"
    if provision == "SEN":
        pupils = pupils.filter(sen_provision__in=[census.EHC_PLAN, census.SEN_SUPPORT])
    elif provision in (census.EHC_PLAN, census.SEN_SUPPORT, census.NO_SEN):
        pupils = pupils.filter(sen_provision=provision)
    if filters.need:
        pupils = pupils.filter(needs__sen_type=filters.need)
    if filters.area:
        codes = [code for code, t in census.SEN_TYPES.items() if t.area == filters.area]
        pupils = pupils.filter(needs__rank=1, needs__sen_type__in=codes)
    if filters.year_group:
        pupils = pupils.filter(year_group=filters.year_group)
    if filters.class_group:
        pupils = pupils.filter(class_group__name=filters.class_group)
    for flag in ("pupil_premium", "eal", "looked_after"):
        value = getattr(filters, flag)
        if value:
            pupils = pupils.filter(**{flag: value == "yes"})
    if filters.q:
        for word in filters.q.split():
            pupils = pupils.filter(
                Q(surname__icontains=word) | Q(forename__icontains=word) | Q(upn__iexact=word)
            )
    return with_register_details(pupils.distinct())


def with_register_details(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """Pupils in name order with their class and ranked needs, fetched in two queries however many there are."""
    return (
        pupils.select_related("class_group")
        .prefetch_related(Prefetch("needs", queryset=Need.objects.order_by("rank")))
        .order_by("surname", "forename", "upn")
    )


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float
    national_percent: float | None


@dataclass(frozen=True)
class RegisterFigures:
    pupils: int
    sen: Share
    ehc: Share
    support: Share
    ehc_primary_needs: list[Share]
    support_primary_needs: list[Share]
    areas: list[Share]
    # False when the figures count only the pupils one person can see (a teacher's classes, an LA officer's cases):
    # their percentages would describe nobody's school, so pages show the counts alone.
    whole_roll: bool = True
    # What the England columns describe: the need shares are of all EHC plans aged 0-25 (SEN2), not the census.
    census_source: str = national.CENSUS_SOURCE
    ehc_needs_source: str = national.EHC_NEEDS_SOURCE

    @property
    def provision_shares(self) -> list[Share]:
        return [self.sen, self.ehc, self.support]


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class RollCounts:
    pupils: int = 0
    support: int = 0
    ehc: int = 0

    @property
    def sen_percent(self) -> float:
        return _percent(self.support + self.ehc, self.pupils)

    @property
    def ehc_percent(self) -> float:
        return _percent(self.ehc, self.pupils)


def roll_counts_by_school(*, schools) -> dict[int, RollCounts]:
    """Pupils on roll, on SEN support and with an EHC plan in each school, by school id (one query)."""
    found: dict[int, dict[str, int]] = {}
    rows = (
        Pupil.objects.filter(school__in=schools, left_on__isnull=True)
        .values_list("school_id", "sen_provision")
        .annotate(n=Count("id"))
        .order_by()
    )
    for school_id, provision, n in rows:
        found.setdefault(school_id, {})[provision] = n
    return {
        school_id: RollCounts(
            pupils=sum(counts.values()),
            support=counts.get(census.SEN_SUPPORT, 0),
            ehc=counts.get(census.EHC_PLAN, 0),
        )
        for school_id, counts in found.items()
    }


def register_figures(*, school, pupils: QuerySet[Pupil] | None = None) -> RegisterFigures:
    """Counts and percentages of the school's register beside the national figures (a fixed number of queries).

    With `pupils` (some of the school's pupils, those one person sees), the counts are of those pupils and
    `whole_roll` is False: percentages are only ever read over the school's whole roll."""
    base = pupils if pupils is not None else Pupil.objects.filter(school=school, left_on__isnull=True)
    by_provision = dict(base.values_list("sen_provision").annotate(n=Count("id")).order_by())
    total = sum(by_provision.values())
    ehc = by_provision.get(census.EHC_PLAN, 0)
    support = by_provision.get(census.SEN_SUPPORT, 0)
    needs = (
        Need.objects.filter(
            rank=1, pupil__in=base.filter(sen_provision__in=[census.EHC_PLAN, census.SEN_SUPPORT])
        )
        .values_list("pupil__sen_provision", "sen_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_need: dict[str, dict[str, int]] = {census.EHC_PLAN: {}, census.SEN_SUPPORT: {}}
    for provision, code, n in needs:
        per_need[provision][code] = n

    def need_shares(provision: str, whole: int, national_mix: dict[str, float] | None) -> list[Share]:
        codes = sorted(census.SEN_TYPES, key=lambda c: (-per_need[provision].get(c, 0), c))
        return [
            Share(
                code,
                per_need[provision].get(code, 0),
                _percent(per_need[provision].get(code, 0), whole),
                national_mix.get(code) if national_mix is not None else None,
            )
            for code in codes
            if per_need[provision].get(code, 0) or (national_mix and code in national_mix)
        ]

    recorded = sum(per_need[census.EHC_PLAN].values())
    not_known = national.EHC_PRIMARY_NEED_PERCENT_WITH_NOT_KNOWN[national.NOT_KNOWN]
    ehc_needs = need_shares(census.EHC_PLAN, ehc, national.EHC_PRIMARY_NEED_PERCENT)
    ehc_needs.append(Share(national.NOT_KNOWN, ehc - recorded, _percent(ehc - recorded, ehc), not_known))
    areas = []
    sen_total = ehc + support
    for area in census.AREAS_OF_NEED:
        n = sum(
            count
            for provision in per_need
            for code, count in per_need[provision].items()
            if census.SEN_TYPES[code].area == area
        )
        areas.append(Share(area, n, _percent(n, sen_total), None))
    return RegisterFigures(
        pupils=total,
        sen=Share(
            "SEN (EHC plan or SEN support)",
            ehc + support,
            _percent(ehc + support, total),
            national.PERCENT_WITH_SEN,
        ),
        ehc=Share("EHC plan", ehc, _percent(ehc, total), national.PERCENT_EHC_PLAN),
        support=Share("SEN support", support, _percent(support, total), national.PERCENT_SEN_SUPPORT),
        ehc_primary_needs=ehc_needs,
        support_primary_needs=need_shares(census.SEN_SUPPORT, support, None),
        areas=areas,
        whole_roll=pupils is None,
    )


NO_NEED_RECORDED = "primary need not recorded"


@dataclass(frozen=True)
class ShownShare:
    """A Share as a governor may see it: a count, or its percentage, is "c" where it is hidden."""

    label: str
    count: int | str
    percent: float | str
    national_percent: float | None = None


@dataclass(frozen=True)
class AnonymisedFigures:
    pupils: int | str
    provision: list[ShownShare]  # SEN, EHC plan, SEN support: shares of the whole roll
    areas: list[ShownShare]  # area of primary need: shares of the pupils with SEN

    def area(self, key: str) -> int | str:
        return next((a.count for a in self.areas if a.label == key), 0)


def anonymised_figures(*, school) -> AnonymisedFigures:
    """The register's figures as governors see them (sencohub.statutory.disclosure): no count from 1 to 4, none that
    can be worked out by subtraction, and no percentage of a hidden count. The tables nest (the roll, then SEN
    and no SEN, then EHC plan and SEN support, and SEN again by area of need), so a hidden total hides its parts."""
    figures = register_figures(school=school)
    sen_count = figures.sen.count
    roll_cells, roll = disclosure.suppress_with_total(
        [("sen", sen_count), ("no sen", figures.pupils - sen_count)]
    )
    sen = roll_cells[0][1]
    kinds, sen_again = disclosure.suppress_with_total(
        [(figures.ehc, figures.ehc.count), (figures.support, figures.support.count)],
        total_hidden=sen == disclosure.SUPPRESSED,
    )
    sen = disclosure.SUPPRESSED if disclosure.SUPPRESSED in (sen, sen_again) else sen
    recorded = sum(a.count for a in figures.areas)
    group = [(a.label, a.count) for a in figures.areas] + [(NO_NEED_RECORDED, sen_count - recorded)]
    areas = disclosure.suppress(group, total_hidden=sen == disclosure.SUPPRESSED)

    def share(label, n, whole, exact, national_percent=None) -> ShownShare:
        return ShownShare(label, n, disclosure.percent(n, whole, exact), national_percent)

    provision = [share(figures.sen.label, sen, roll, figures.sen.percent, figures.sen.national_percent)]
    provision += [share(kind.label, n, roll, kind.percent, kind.national_percent) for kind, n in kinds]
    shown_areas = [
        share(label, n, sen, _percent(exact, sen_count))
        for (label, n), (_, exact) in zip(areas, group, strict=True)
        if exact or label != NO_NEED_RECORDED
    ]
    return AnonymisedFigures(pupils=roll, provision=provision, areas=shown_areas)


def filter_options(*, user, school) -> dict:
    pupils = pupils_for_user(user).filter(school=school)
    codes = sorted(
        {y for y in pupils.values_list("year_group", flat=True).distinct() if y}, key=year_group_sort_key
    )
    year_groups = [(code, year_group_label(code)) for code in codes]
    classes = sorted(
        {c for c in pupils.exclude(class_group=None).values_list("class_group__name", flat=True).distinct()}
    )
    return {"year_groups": year_groups, "classes": classes}


def concerns_for_user(user) -> QuerySet[Concern]:
    """The one rule for who reads a concern, and the SENCo's triage note with it (docs/roles.md, *Concerns*).

    Those who triage (SENCo, deputy SENCo) read every concern about the pupils they may triage, with its note.
    Anyone else reads only the concerns they raised themselves, about pupils they may still raise concerns about,
    with the decision and the note the SENCo wrote for them. Nobody else reads a concern: not the trust, the
    LA, a governor or a parent, and not staff who only see the pupil. Pages, the pupil's timeline and the API all
    ask here; leavers' concerns are included (a leaver's timeline still opens), lists leave them out."""
    triage = pupils_for_user(user, action=Action.TRIAGE_CONCERN, with_leavers=True)
    raised = pupils_for_user(user, action=Action.RAISE_CONCERN, with_leavers=True)
    own = Q(pupil__in=raised, raised_by=user) if user.is_authenticated else Q(pk__in=[])
    return Concern.objects.filter(Q(pupil__in=triage) | own)


def concerns_for_school(*, user, school, statuses) -> QuerySet[Concern]:
    """The concerns about a school's pupils on roll that the person may read (`concerns_for_user`), newest first."""
    return (
        concerns_for_user(user)
        .filter(pupil__school=school, pupil__left_on__isnull=True, status__in=statuses)
        .select_related("pupil", "pupil__class_group", "raised_by", "triaged_by")
        .order_by("-raised_at")
    )


def concerns_about_pupil(*, user, pupil) -> QuerySet[Concern]:
    """The concerns about one pupil that the person may read, for the pupil's timeline and plan pages."""
    return concerns_for_user(user).filter(pupil=pupil).select_related("raised_by", "triaged_by")
