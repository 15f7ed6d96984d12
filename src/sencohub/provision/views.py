"""Provision map pages: the costed map, the catalogue, pay bands and provisions with their pupils, the sessions
and their attendance, measures and impact. Each parses the request, calls a service or selector, and renders."""

import json
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.documents.rendering import PDF_TYPE
from sencohub.kernel import tables
from sencohub.kernel.files import attachment
from sencohub.kernel.forms import saved
from sencohub.kernel.versions import carry_seen, check_seen, show_stale
from sencohub.provision import services
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.clashes import clash_summary, find_clashes
from sencohub.provision.costing import provision_map
from sencohub.provision.exports import map_columns, map_json, map_rows
from sencohub.provision.forms import (
    AttendanceForm,
    InterventionForm,
    MeasureFormSet,
    PayBandForm,
    ProvisionForm,
)
from sencohub.provision.models import Enrolment, Intervention, PayBand, Provision, SenBudget, Session
from sencohub.provision.reporting import by_scale, impact_rows, measure_for
from sencohub.provision.selectors import groups_meeting, provisions_with_attendance, sessions_today
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can
from sencohub.statutory.money import NOTIONAL_THRESHOLD_PENCE, pence_from_pounds
from sencohub.statutory.school_year import school_year


def _map_for(request, school):
    pupils = pupils_for_user(request.user, action=Action.VIEW_PROVISION).filter(school=school)
    return provision_map(school, pupils=pupils, on=timezone.localdate())


@login_required
def map_page(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    pmap = _map_for(request, school)
    context = school_context(
        request,
        school,
        "provision",
        pmap=pmap,
        threshold_pence=NOTIONAL_THRESHOLD_PENCE,
        by_intervention=pmap.totals_by(lambda row, item: item.provision.intervention.name),
        by_year=pmap.totals_by(lambda row, item: row.pupil.year_group_label or "No year group"),
        by_class=pmap.totals_by(
            lambda row, item: row.pupil.class_group.name if row.pupil.class_group else "No class"
        ),
        budget=SenBudget.objects.filter(school=school, year_start=pmap.year_start).first(),
        by_term=pmap.term_totals(),
        can_edit=user_can(request.user, Action.EDIT_PROVISION, school),
    )
    return render(request, "provision/map.html", context)


@login_required
def map_export(request, urn, fmt):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    if fmt not in ("json", "csv", "xlsx", "pdf"):
        raise Http404
    require_recent_confirmation(request)
    pmap = _map_for(request, school)
    name = f"provision-map-{school.urn}-{pmap.year_start.year}"
    if fmt in ("csv", "xlsx"):
        return tables.table_download(
            fmt, filename=name, title="Provision map", header=map_columns(pmap), rows=map_rows(pmap)
        )
    if fmt == "json":
        body, content_type = json.dumps(map_json(pmap), indent=2), "application/json"
    elif fmt == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "documents/provision_map.html",
            {
                "school": school,
                "pmap": pmap,
                "threshold_pence": NOTIONAL_THRESHOLD_PENCE,
                "budget": SenBudget.objects.filter(school=school, year_start=pmap.year_start).first(),
                "by_intervention": pmap.totals_by(lambda row, item: item.provision.intervention.name),
                "by_term": pmap.term_totals(),
            },
        )
        body, content_type = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"), PDF_TYPE
    else:
        raise Http404
    return attachment(body, content_type=content_type, filename=f"{name}.{fmt}")


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    can_edit = user_can(request.user, Action.EDIT_PROVISION, school)
    if request.method == "POST" and not can_edit:
        raise Http404
    if request.method == "POST" and "seed" in request.POST:
        added = catalogue_seed(school)
        messages.success(
            request, f"{added} common intervention{'s' if added != 1 else ''} added to your catalogue."
        )
        return redirect("provision_catalogue", school.urn)
    form = InterventionForm(request.POST if request.method == "POST" and "add" in request.POST else None)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    if saved(
        request,
        form,
        lambda f: services.intervention_create(school=school, by=request.user, **f.cleaned_data),
        f"{name} was added to the catalogue.",
    ):
        return redirect("provision_catalogue", school.urn)
    context = school_context(
        request,
        school,
        "provision",
        interventions=Intervention.objects.filter(school=school),
        form=form,
        can_edit=can_edit,
    )
    return render(request, "provision/catalogue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pay_bands(request, urn):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    form = PayBandForm(request.POST if request.method == "POST" else None)
    message = ""
    if form.is_valid():
        name = form.cleaned_data["name"]
        known = PayBand.objects.filter(school=school, name=name).exists()
        message = f"{name} was {'updated' if known else 'added'}; every cost using it follows."
    if saved(
        request,
        form,
        lambda f: services.pay_band_set(
            school=school,
            by=request.user,
            name=f.cleaned_data["name"],
            hourly_pence=pence_from_pounds(f.cleaned_data["hourly_pounds"]),
        ),
        message,
    ):
        return redirect("provision_pay_bands", school.urn)
    context = school_context(
        request, school, "provision", bands=PayBand.objects.filter(school=school), form=form
    )
    return render(request, "provision/pay_bands.html", context)


@login_required
def provisions(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    found = provisions_with_attendance(
        Provision.objects.filter(school=school)
        .select_related("intervention", "pay_band")
        .prefetch_related(
            "run_by",
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("pupil").order_by(
                    "pupil__surname", "pupil__forename", "pk"
                ),
            ),
        )
    )
    for p in found:
        p.runners = [(u.pk, u.get_full_name() or u.email) for u in p.run_by.all()]
        p.in_group = [e.pupil for e in p.enrolments.all() if e.left_on is None]
        p.leavers = [e for e in p.enrolments.all() if e.left_on is not None]
    clashes = find_clashes(found, lambda p: p.in_group)
    context = school_context(
        request,
        school,
        "provision",
        provisions=found,
        clashes=clashes,
        clash_kinds=clash_summary(clashes),
        can_edit=user_can(request.user, Action.EDIT_PROVISION, school),
    )
    return render(request, "provision/provisions.html", context)


# The provision's own fields on its form, saved as they are; days and other costs are worked out from the form, and
# the sessions a week from the days (provision.services).
FORM_DETAILS = (
    "intervention",
    "name",
    "wave",
    "staff",
    "pay_band",
    "when",
    "starts_at",
    "starts_on",
    "ends_on",
    "minutes",
)


@login_required
@require_http_methods(["GET", "POST"])
def provision_edit(request, urn, provision_id=None):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    instance = (
        Provision(school=school)
        if provision_id is None
        else Provision.objects.filter(school=school, pk=provision_id).first()
    )
    if instance is None:
        raise Http404
    if provision_id is None and not (
        Intervention.objects.filter(school=school).exists() and PayBand.objects.filter(school=school).exists()
    ):
        messages.info(request, "Add your interventions and pay bands first: a provision needs both.")
        return redirect(
            "provision_catalogue"
            if not Intervention.objects.filter(school=school).exists()
            else "provision_pay_bands",
            school.urn,
        )
    form = ProvisionForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        school=school,
        user=request.user,
    )
    carry_seen(form)

    def unchanged_since_drawn(current):
        check_seen(
            form, ProvisionForm(instance=current, school=school, user=request.user), current, what="provision"
        )

    def save(f):
        data = f.cleaned_data
        values = dict(
            by=request.user,
            run_by=data["run_by"],
            pupils=data["pupils"],
            offered=f.fields["pupils"].queryset,
            today=timezone.localdate(),
            days="".join(sorted(data["days_of_week"])),
            other_costs_pence=pence_from_pounds(data["other_costs_pounds"] or 0),
            **{name: data[name] for name in FORM_DETAILS},
        )
        if provision_id is None:
            f.instance = services.provision_create(school=school, **values)
        else:
            f.instance = services.provision_update(provision=instance, check=unchanged_since_drawn, **values)

    name = form.cleaned_data["name"] if form.is_valid() else ""
    if saved(request, form, save, f"{name} was saved."):
        return redirect("provision_list", school.urn)
    context = school_context(
        request, school, "provision", form=form, provision=instance if provision_id else None
    )
    return render(request, "provision/provision_form.html", context)


@login_required
@require_POST
def provision_delete(request, urn, provision_id):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    if services.provision_delete(school=school, by=request.user, provision_id=provision_id):
        messages.success(request, "The provision was removed from the map.")
    return redirect("provision_list", school.urn)


@login_required
def sessions(request, urn):
    """The groups meeting today with pupils this person works with (or that they run), to take attendance from a
    phone."""
    school = school_for_user(request.user, urn, Action.TAKE_REGISTER)
    today = timezone.localdate()
    running, taken = sessions_today(user=request.user, school=school, today=today)
    context = school_context(request, school, "sessions", running=running, taken=taken, today=today)
    return render(request, "provision/sessions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_take(request, urn, provision_id):
    """A session's attendance (the page says "register", the word schools use; the code says attendance so as not
    to be confused with the SEN register)."""
    school = school_for_user(request.user, urn, Action.TAKE_REGISTER)
    _, visible = groups_meeting(user=request.user, school=school, day=timezone.localdate())
    provision = (
        Provision.objects.filter(
            school=school,
            pk=provision_id,
            enrolments__in=Enrolment.objects.current().filter(pupil__in=visible),
        )
        .distinct()
        .first()
    )
    if provision is None:
        raise Http404
    in_group = Enrolment.objects.current().filter(provision=provision).values("pupil_id")
    pupils = list(visible.filter(pk__in=in_group).order_by("surname", "forename"))
    day = timezone.localdate()
    existing = Session.objects.filter(provision=provision, held_on=day).first()
    marks = dict(existing.attendance.values_list("pupil_id", "present")) if existing else {}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        pupils=pupils,
        marks=marks,
        initial={
            "held_on": day,
            "cancelled": existing.cancelled if existing else False,
            "note": existing.note if existing else "",
        },
    )
    message = ""
    if form.is_valid():
        d = form.cleaned_data
        present = sum(1 for p in pupils if d[f"p{p.pk}"]) if not d["cancelled"] else 0
        message = f"Register saved for {provision.name}: " + (
            "the session did not happen." if d["cancelled"] else f"{present} of {len(pupils)} there."
        )
    if saved(
        request,
        form,
        lambda f: services.attendance_record(
            provision=provision,
            by=request.user,
            held_on=f.cleaned_data["held_on"],
            cancelled=f.cleaned_data["cancelled"],
            note=f.cleaned_data["note"],
            present={p.pk: bool(f.cleaned_data[f"p{p.pk}"]) for p in pupils},
        ),
        message,
    ):
        return redirect("provision_sessions", school.urn)
    context = school_context(request, school, "sessions", provision=provision, form=form, pupils=pupils)
    return render(request, "provision/attendance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def measures(request, urn, provision_id):
    """Entry and exit measures for each pupil in a provision."""
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    provision = (
        Provision.objects.filter(school=school, pk=provision_id).select_related("intervention").first()
    )
    if provision is None:
        raise Http404
    visible = pupils_for_user(request.user, action=Action.EDIT_PROVISION)
    queryset = (
        Enrolment.objects.filter(provision=provision, pupil__in=visible)
        .select_related("pupil")
        .order_by("pupil__surname")
    )
    formset = MeasureFormSet(request.POST if request.method == "POST" else None, queryset=queryset)
    usual = measure_for(provision.intervention.measure)

    def shown(form):
        if not form.instance.measure and not form.is_bound:
            form.initial["measure"] = usual
        carry_seen(form)  # each pupil's measures are refused if someone saved them after this page was drawn
        return form

    for form in formset.forms:
        shown(form)
    # A set of forms, one a pupil, so not `saved` (which keeps one form): each stale pupil's form shows its refusal.
    if request.method == "POST" and formset.is_valid():
        forms_by_id = {form.instance.pk: form for form in formset.forms}

        def unchanged_since_drawn(current):
            fresh = MeasureFormSet(queryset=Enrolment.objects.filter(pk=current.pk)).forms[0]
            check_seen(forms_by_id[current.pk], shown(fresh), current, what="set of measures")

        stale = services.measures_record(
            by=request.user,
            measures={pk: form.cleaned_data for pk, form in forms_by_id.items()},
            check=unchanged_since_drawn,
        )
        for pk, error in stale.items():
            show_stale(forms_by_id[pk], error)
        if not stale:
            messages.success(request, f"Measures saved for {provision.name}.")
            return redirect("provision_impact", school.urn)
    context = school_context(
        request,
        school,
        "provision",
        provision=provision,
        formset=formset,
        form=next((f for f in formset.forms if f.errors), None),
    )
    return render(request, "provision/measures.html", context)


@login_required
def impact_page(request, urn):
    """Interventions ranked by impact, with cost and attendance beside it; a chart and the same figures in a table."""
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    rows = impact_rows(school, request.user, timezone.localdate())
    context = school_context(
        request,
        school,
        "provision",
        rows=rows,
        scales=by_scale(rows),
        can_edit=user_can(request.user, Action.EDIT_PROVISION, school),
    )
    return render(request, "provision/impact.html", context)


@login_required
@require_POST
def budget_set(request, urn):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    year_start, _ = school_year(timezone.localdate())
    try:
        pounds = Decimal(request.POST.get("notional_pounds", "").replace(",", "").replace("£", "").strip())
        if pounds < 0 or pounds > 10_000_000:
            raise InvalidOperation
    except InvalidOperation:
        messages.error(request, "Enter the notional SEN budget in pounds, for example 145000.")
        return redirect("provision_map", school.urn)
    services.sen_budget_set(
        school=school, by=request.user, year_start=year_start, notional_pence=pence_from_pounds(pounds)
    )
    messages.success(request, "The notional SEN budget for this school year was saved.")
    return redirect("provision_map", school.urn)
