from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.kernel import tables
from sencohub.kernel.forms import saved
from sencohub.kernel.versions import carry_seen, save_unless_changed
from sencohub.pupils.selectors import pupil_for_user, pupils_for_user
from sencohub.register import exports, selectors, services
from sencohub.register.forms import (
    CensusIndicatorsForm,
    CensusProvisionForm,
    ConcernForm,
    NeedsForm,
    ParentsInformedForm,
    SenStatusForm,
    TriageForm,
)
from sencohub.register.models import Concern, SenStatus
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can
from sencohub.statutory import census


def _figures_for(user, school):
    """The school's whole roll for those who may see its figures; otherwise counts of the pupils the person sees."""
    if user_can(user, Action.VIEW_FIGURES, school):
        return selectors.register_figures(school=school)
    return selectors.register_figures(school=school, pupils=pupils_for_user(user).filter(school=school))


@login_required
def register(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_REGISTER)
    filters = selectors.RegisterFilters.from_query(request.GET)
    search = selectors.register_search(user=request.user, school=school, filters=filters)
    pupils = search.pupils
    rows = list(pupils[:1000])
    total = pupils.count() if len(rows) == 1000 else len(rows)
    context = school_context(
        request,
        school,
        "register",
        filters=filters,
        filters_cleared=search.filters_cleared,
        pupils=rows,
        total=total,
        truncated=total > len(rows),
        can_export=user_can(request.user, Action.EXPORT, school),
        query=request.GET.urlencode(),
        can_edit_register=user_can(request.user, Action.EDIT_REGISTER, school),
    )
    if request.htmx:
        # Only the results (and the short status line beside them) change; the figures and filters stay.
        return render(request, "register/register.html#results", context)
    context.update(
        options=selectors.filter_options(user=request.user, school=school),
        provisions=[
            ("SEN", "EHC plan or SEN support"),
            ("E", "EHC plan"),
            ("K", "SEN support"),
            ("N", "No SEN"),
            ("all", "Every pupil, with or without SEN"),
        ],
        needs=list(census.SEN_TYPES.values()),
        areas=census.AREAS_OF_NEED,
        figures=_figures_for(request.user, school),
    )
    return render(request, "register/register.html", context)


@login_required
def register_export(request, urn, fmt):
    school = school_for_user(request.user, urn, Action.EXPORT)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    require_recent_confirmation(request)
    filters = selectors.RegisterFilters.from_query(request.GET)
    # The download holds the pupils the page showed, a name search's every match included.
    pupils = selectors.register_search(user=request.user, school=school, filters=filters).pupils
    rows = [exports.register_row(pupil) for pupil in pupils]
    return tables.table_download(
        fmt,
        filename=f"sen-register-{school.urn}",
        title="SEN register",
        header=exports.REGISTER_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def census_provision(request, urn):
    """Whether the school has an SEN unit or resourced provision (census), and which pupils are recorded in them."""
    school = school_for_user(request.user, urn, Action.EDIT_REGISTER)
    form = CensusProvisionForm(
        request.POST or None,
        initial={
            "has_sen_unit": school.has_sen_unit,
            "has_resourced_provision": school.has_resourced_provision,
        },
    )
    if saved(
        request,
        form,
        lambda f: services.census_provision_set(school=school, **f.cleaned_data),
        "The school's SEN unit and resourced provision were saved.",
    ):
        return redirect("census_provision", school.urn)
    members = (
        pupils_for_user(request.user)
        .filter(school=school)
        .filter(Q(in_sen_unit=True) | Q(in_resourced_provision=True))
    )
    context = school_context(
        request, school, "register", form=form, members=list(members.order_by("surname", "forename"))
    )
    return render(request, "register/census_provision.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def census_indicators(request, urn, upn):
    school = school_for_user(request.user, urn, Action.EDIT_REGISTER)
    pupil = pupil_for_user(request.user, school, upn, action=Action.EDIT_REGISTER)
    form = CensusIndicatorsForm(
        request.POST or None,
        school=school,
        initial={"in_sen_unit": pupil.in_sen_unit, "in_resourced_provision": pupil.in_resourced_provision},
    )

    def save(f):
        wanted = {
            "in_sen_unit": pupil.in_sen_unit,
            "in_resourced_provision": pupil.in_resourced_provision,
        } | f.cleaned_data
        services.census_indicators_set(pupil=pupil, **wanted)

    if saved(request, form, save, f"{pupil.full_name}'s census indicators were saved."):
        return redirect("pupil", school.urn, pupil.upn)
    context = school_context(request, school, "register", pupil=pupil, form=form)
    return render(request, "register/census_indicators.html", context)


@login_required
def figures(request, urn):
    """Anonymised, aggregated figures: what a governor may see. Never a pupil's name."""
    school = school_for_user(request.user, urn, Action.VIEW_FIGURES)
    context = school_context(request, school, "figures", figures=selectors.anonymised_figures(school=school))
    return render(request, "register/figures.html", context)


# --- A pupil's register entry ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request, urn, upn):
    school = school_for_user(request.user, urn, Action.EDIT_REGISTER)
    pupil = pupil_for_user(request.user, school, upn, action=Action.EDIT_REGISTER)
    ranked = {n.rank: n.sen_type for n in pupil.needs.all()}
    initial = {"primary_need": ranked.get(1, ""), "secondary_need": ranked.get(2, "")}
    # "Add to the SEN register" on the page of a pupil without SEN comes here with SEN support chosen.
    if request.GET.get("provision") in census.PROVISIONS and request.GET["provision"] != pupil.sen_provision:
        initial["provision"] = request.GET["provision"]
    form = SenStatusForm(request.POST or None, initial=initial)

    def save(f):
        services.sen_status_change(
            pupil=pupil,
            by=request.user,
            provision=f.cleaned_data["provision"],
            start_date=f.cleaned_data["start_date"],
            reason=f.cleaned_data["reason"],
            primary_need=f.cleaned_data["primary_need"] or None,
            secondary_need=f.cleaned_data["secondary_need"] or None,
            parents_informed_on=f.cleaned_data["parents_informed_on"],
        )

    if saved(
        request,
        form,
        save,
        lambda _: (
            f"{pupil.full_name}'s SEN status is now {census.PROVISIONS[form.cleaned_data['provision']]}."
        ),
    ):
        return redirect("pupil", school.urn, pupil.upn)
    adding = pupil.sen_provision == census.NO_SEN
    context = school_context(request, school, "register", pupil=pupil, form=form, adding=adding)
    return render(request, "register/status_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def needs_edit(request, urn, upn):
    school = school_for_user(request.user, urn, Action.EDIT_REGISTER)
    pupil = pupil_for_user(request.user, school, upn, action=Action.EDIT_REGISTER)
    ranked = {n.rank: n for n in pupil.needs.all()}
    initial = {
        "primary_need": ranked[1].sen_type if 1 in ranked else "",
        "primary_notes": ranked[1].notes if 1 in ranked else "",
        "secondary_need": ranked[2].sen_type if 2 in ranked else "",
        "secondary_notes": ranked[2].notes if 2 in ranked else "",
        "seen": services.needs_fingerprint(ranked),
    }
    form = NeedsForm(request.POST or None, initial=initial)

    def save(f):
        services.needs_set(
            pupil=pupil,
            primary_need=f.cleaned_data["primary_need"] or None,
            secondary_need=f.cleaned_data["secondary_need"] or None,
            primary_notes=f.cleaned_data["primary_notes"],
            secondary_notes=f.cleaned_data["secondary_notes"],
            seen=f.cleaned_data["seen"] or None,
        )

    if saved(request, form, save, f"{pupil.full_name}'s needs are saved."):
        return redirect("pupil", school.urn, pupil.upn)
    return render(
        request,
        "register/needs_form.html",
        school_context(request, school, "register", pupil=pupil, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def parents_informed(request, urn, upn, status_id):
    school = school_for_user(request.user, urn, Action.EDIT_REGISTER)
    pupil = pupil_for_user(request.user, school, upn, action=Action.EDIT_REGISTER)
    status = pupil.sen_statuses.filter(pk=status_id).first()
    if status is None:
        raise Http404
    form = ParentsInformedForm(request.POST or None, initial={"informed_on": status.parents_informed_on})
    carry_seen(form)

    def save(f):  # refused if someone recorded another date since this page was drawn
        return save_unless_changed(
            f,
            SenStatus,
            status.pk,
            drawn=lambda current: ParentsInformedForm(initial={"informed_on": current.parents_informed_on}),
            what="date parents were told",
            write=lambda current: services.parents_informed_record(
                status=current, informed_on=f.cleaned_data["informed_on"]
            ),
        )

    if saved(request, form, save, "The date parents were told is saved."):
        return redirect("pupil", school.urn, pupil.upn)
    context = school_context(request, school, "register", pupil=pupil, status=status, form=form)
    return render(request, "register/parents_informed_form.html", context)


# --- Concerns ---------------------------------------------------------------------------------------------


@login_required
def concerns(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_REGISTER)
    can_triage = user_can(request.user, Action.TRIAGE_CONCERN, school)
    can_raise = user_can(request.user, Action.RAISE_CONCERN, school)
    if not (can_triage or can_raise):
        raise Http404
    # Those who triage read every concern; others only those they raised (the selector's one rule).
    concerns = selectors.concerns_for_school(user=request.user, school=school, statuses=Concern.Status.values)
    undecided = list(concerns.filter(status__in=[Concern.Status.OPEN, Concern.Status.MONITOR]))
    context = school_context(
        request,
        school,
        "concerns",
        waiting=[c for c in undecided if c.status == Concern.Status.OPEN],
        monitoring=[c for c in undecided if c.status == Concern.Status.MONITOR],
        closed=list(concerns.exclude(status__in=[Concern.Status.OPEN, Concern.Status.MONITOR])[:50]),
        can_triage=can_triage,
        can_raise=can_raise,
    )
    return render(request, "register/concerns.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request, urn):
    school = school_for_user(request.user, urn, Action.RAISE_CONCERN)
    pupils = (
        pupils_for_user(request.user, action=Action.RAISE_CONCERN)
        .filter(school=school)
        .select_related("class_group")
        .order_by("surname", "forename")
    )
    form = ConcernForm(request.POST or None, pupils=pupils, initial={"pupil": request.GET.get("pupil", "")})

    def save(f):
        pupil = pupil_for_user(request.user, school, f.cleaned_data["pupil"], action=Action.RAISE_CONCERN)
        return services.concern_raise(
            pupil=pupil,
            by=request.user,
            what_seen=f.cleaned_data["what_seen"],
            evidence=f.cleaned_data["evidence"],
            tried=f.cleaned_data["tried"],
        )

    if saved(
        request,
        form,
        save,
        lambda concern: f"Your concern about {concern.pupil.full_name} has been sent to the SENCo.",
    ):
        return redirect("concerns", school.urn)
    return render(
        request, "register/concern_form.html", school_context(request, school, "concerns", form=form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_triage(request, urn, concern_id):
    school = school_for_user(request.user, urn, Action.TRIAGE_CONCERN)
    concern = (
        selectors.concerns_for_school(user=request.user, school=school, statuses=Concern.Status.values)
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise Http404
    concern.pupil = pupil_for_user(request.user, school, concern.pupil.upn, action=Action.TRIAGE_CONCERN)
    form = TriageForm(request.POST or None, initial={"version": concern.version})

    def save(f):
        services.concern_triage(
            concern=concern,
            by=request.user,
            decision=f.cleaned_data["decision"],
            note=f.cleaned_data["note"],
            primary_need=f.cleaned_data["primary_need"] or None,
            secondary_need=f.cleaned_data["secondary_need"] or None,
            version=f.cleaned_data["version"],
        )

    def triaged(_):
        label = Concern.Status(form.cleaned_data["decision"]).label
        return f"Concern about {concern.pupil.full_name} triaged: {label}."

    if saved(request, form, save, triaged):
        return redirect("concerns", school.urn)
    context = school_context(request, school, "concerns", concern=concern, form=form)
    return render(request, "register/triage_form.html", context)
