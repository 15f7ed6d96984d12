"""Provision map pages: the costed map, the catalogue, pay bands and provisions with their pupils."""

import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.documents.rendering import PDF_TYPE
from sencohub.kernel import tables
from sencohub.kernel.dates import REGISTER_TAKEN
from sencohub.kernel.forms import DateInput, ModelMultipleChoiceField
from sencohub.kernel.versions import StaleSave, carry_seen, check_seen, lock, saved_unless_taken, show_stale
from sencohub.provision.catalogue import catalogue_seed
from sencohub.provision.clashes import find_clashes
from sencohub.provision.costing import provision_map
from sencohub.provision.exports import map_columns, map_json, map_rows
from sencohub.provision.models import (
    Attendance,
    Enrolment,
    Intervention,
    PayBand,
    Provision,
    SenBudget,
    Session,
)
from sencohub.provision.reporting import impact_chart, impact_rows, measure_for
from sencohub.provision.services import provision_pupils_set
from sencohub.pupils.selectors import pupils_for_user
from sencohub.schools.models import Membership, Role
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, user_can
from sencohub.statutory import census
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
    return tables.download(body, content_type=content_type, filename=f"{name}.{fmt}")


MESSAGE_INTERVENTION_TAKEN = "Your catalogue already has an intervention with this name."


class InterventionForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = [
            "name",
            "area",
            "evidence",
            "evidence_note",
            "sessions_per_week",
            "minutes",
            "group_size",
            "measure",
        ]
        widgets = {"evidence": forms.RadioSelect}


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    can_edit = user_can(request.user, Action.EDIT_PROVISION, school)
    form = InterventionForm(request.POST if request.method == "POST" and "add" in request.POST else None)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if "seed" in request.POST:
            added = catalogue_seed(school)
            messages.success(
                request, f"{added} common intervention{'s' if added != 1 else ''} added to your catalogue."
            )
            return redirect("provision_catalogue", school.urn)
        if form.is_valid():
            intervention = form.save(commit=False)
            intervention.school = school
            if saved_unless_taken(
                form,
                "name",
                MESSAGE_INTERVENTION_TAKEN,
                intervention.save,
                taken=lambda: Intervention.objects.filter(school=school, name=intervention.name).exists(),
            ):
                messages.success(request, f"{intervention.name} was added to the catalogue.")
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


class PayBandForm(forms.ModelForm):
    hourly_pounds = forms.DecimalField(
        label="Hourly cost, £",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text="Pay plus on-costs, for example 15.40.",
    )

    class Meta:
        model = PayBand
        fields = ["name"]


@login_required
@require_http_methods(["GET", "POST"])
def pay_bands(request, urn):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    form = PayBandForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        band, created = PayBand.objects.update_or_create(
            school=school,
            name=name,
            defaults={"hourly_pence": pence_from_pounds(form.cleaned_data["hourly_pounds"])},
        )
        messages.success(
            request, f"{band.name} was {'added' if created else 'updated'}; every cost using it follows."
        )
        return redirect("provision_pay_bands", school.urn)
    context = school_context(
        request, school, "provision", bands=PayBand.objects.filter(school=school), form=form
    )
    return render(request, "provision/pay_bands.html", context)


# Roles whose staff may be named as running a group.
RUNNING_ROLES = [
    Role.SENCO,
    Role.DEPUTY_SENCO,
    Role.SEND_ADMIN,
    Role.HEAD,
    Role.TEACHER,
    Role.TEACHING_ASSISTANT,
]
NO_STAFF = "Tick the staff who run it, or write who delivers it."


class ProvisionForm(forms.ModelForm):
    other_costs_pounds = forms.DecimalField(
        label="Other costs, £",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text="Resources, licences, training: for the whole group and period.",
    )
    pupils = ModelMultipleChoiceField(
        label="Pupils", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    days_of_week = forms.MultipleChoiceField(
        label="Days",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (str(i), name) for i, name in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
        ],
    )

    class Meta:
        model = Provision
        fields = [
            "intervention",
            "name",
            "wave",
            "run_by",
            "staff",
            "pay_band",
            "starts_at",
            "when",
            "starts_on",
            "ends_on",
            "sessions_per_week",
            "minutes",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "wave": forms.RadioSelect,
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "run_by": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "run_by": ModelMultipleChoiceField
        }  # an id beyond any record's is a form error, not a 500
        labels = {
            "when": "Other notes on timing",
            "run_by": "Staff who run it",
            "staff": "Delivered by (staff without a sencohub account)",
        }
        help_texts = {
            "starts_at": "With the days, this lets sencohub spot clashes.",
            "run_by": "They see every pupil in the group and take its register, whichever classes the pupils are in.",
            "staff": "For example, a visiting specialist. Leave it empty if the staff ticked above run it.",
        }

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = Intervention.objects.filter(school=school)
        self.fields["pay_band"].queryset = PayBand.objects.filter(school=school)
        running = (
            self.instance.run_by.values("pk")
            if self.instance.pk
            else get_user_model().objects.none().values("pk")
        )
        staff = Membership.objects.filter(school=school, role__in=RUNNING_ROLES).values("user_id")
        self.fields["run_by"].queryset = (
            get_user_model()
            .objects.filter(Q(pk__in=staff, is_active=True) | Q(pk__in=running))
            .order_by("last_name", "first_name", "email")
        )
        self.fields["run_by"].label_from_instance = lambda user: user.get_full_name() or user.email
        visible = pupils_for_user(user, action=Action.EDIT_PROVISION).filter(school=school)
        # The pupils in the group now; those who have left keep their ended enrolments and are not ticked.
        chosen = (
            visible.model.objects.filter(
                pk__in=Enrolment.objects.current().filter(provision=self.instance).values("pupil_id")
            )
            if self.instance.pk
            else visible.none()
        )
        self.fields["pupils"].queryset = (
            (
                visible.filter(sen_provision__in=[census.SEN_SUPPORT, census.EHC_PLAN])
                | visible.filter(pk__in=chosen)
            )
            .distinct()
            .order_by("year_group", "surname", "forename")
        )
        self.fields["pupils"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.year_group_label}, {p.get_sen_provision_display()})"
        )
        self.order_fields(
            ["intervention", "name", "wave", "run_by", "staff", "pay_band", "days_of_week", "starts_at"]
        )
        if self.instance.pk:
            self.initial["days_of_week"] = list(self.instance.days)
            self.initial["pupils"] = list(chosen)
            self.initial["other_costs_pounds"] = self.instance.other_costs_pence / 100

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The provision cannot end before it starts.")
        if not data.get("run_by") and not (data.get("staff") or "").strip():
            self.add_error("run_by", NO_STAFF)
        return data


@login_required
def provisions(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_PROVISION)
    held = Q(sessions__cancelled=False)
    found = (
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
        .annotate(
            held=Count("sessions", filter=held, distinct=True),
            marked=Count("sessions__attendance", filter=held),
            present=Count("sessions__attendance", filter=held & Q(sessions__attendance__present=True)),
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
        can_edit=user_can(request.user, Action.EDIT_PROVISION, school),
    )
    return render(request, "provision/provisions.html", context)


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
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if (
                    instance.pk is not None
                ):  # refused if someone changed the provision since this page was drawn
                    current = lock(Provision, instance.pk)
                    check_seen(
                        form,
                        ProvisionForm(instance=current, school=school, user=request.user),
                        current,
                        what="provision",
                    )
                provision = form.save(commit=False)
                provision.school = school
                provision.other_costs_pence = pence_from_pounds(form.cleaned_data["other_costs_pounds"] or 0)
                provision.days = "".join(sorted(form.cleaned_data["days_of_week"]))
                if provision_id is None:  # who created it; an edit does not make the editor its creator
                    provision.created_by = request.user
                provision.save()
                form.save_m2m()
                provision_pupils_set(
                    provision=provision,
                    pupils=form.cleaned_data["pupils"],
                    today=timezone.localdate(),
                    new=provision_id is None,
                    offered=form.fields["pupils"].queryset,
                )
        except StaleSave as stale:
            show_stale(form, stale)
        else:
            messages.success(request, f"{provision.name} was saved.")
            return redirect("provision_list", school.urn)
    context = school_context(
        request, school, "provision", form=form, provision=instance if provision_id else None
    )
    return render(request, "provision/provision_form.html", context)


@login_required
@require_POST
def provision_delete(request, urn, provision_id):
    school = school_for_user(request.user, urn, Action.EDIT_PROVISION)
    deleted = Provision.objects.filter(school=school, pk=provision_id).delete()[0]
    if deleted:
        messages.success(request, "The provision was removed from the map.")
    return redirect("provision_list", school.urn)


def _running(school, user, today):
    visible = pupils_for_user(user, action=Action.TAKE_REGISTER).filter(school=school)
    return (
        Provision.objects.filter(
            Provision.meeting_on(today),
            school=school,
            enrolments__in=Enrolment.objects.current().filter(pupil__in=visible),
        )
        .distinct()
        .select_related("intervention")
        .order_by("name")
    ), visible


@login_required
def sessions(request, urn):
    """The groups meeting today with pupils this person works with (or that they run), to take a register from a phone."""
    school = school_for_user(request.user, urn, Action.TAKE_REGISTER)
    today = timezone.localdate()
    running, _ = _running(school, request.user, today)
    taken = set(
        Session.objects.filter(provision__in=running, held_on=today).values_list("provision_id", flat=True)
    )
    context = school_context(request, school, "sessions", running=running, taken=taken, today=today)
    return render(request, "provision/sessions.html", context)


class RegisterForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DateInput(), validators=[REGISTER_TAKEN])
    cancelled = forms.BooleanField(label="The session did not happen", required=False)
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args, pupils, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            self.fields[f"p{pupil.pk}"] = forms.BooleanField(
                label=pupil.full_name, required=False, initial=marks.get(pupil.pk, True)
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Take the register on the day or after it, not before.")
        return day


@login_required
@require_http_methods(["GET", "POST"])
def take_register(request, urn, provision_id):
    school = school_for_user(request.user, urn, Action.TAKE_REGISTER)
    _, visible = _running(school, request.user, timezone.localdate())
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
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        pupils=pupils,
        marks=marks,
        initial={
            "held_on": day,
            "cancelled": existing.cancelled if existing else False,
            "note": existing.note if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            session, _ = Session.objects.update_or_create(
                provision=provision,
                held_on=d["held_on"],
                defaults={"cancelled": d["cancelled"], "note": d["note"], "taken_by": request.user},
            )
            for pupil in pupils:
                Attendance.objects.update_or_create(
                    session=session,
                    pupil=pupil,
                    defaults={"present": bool(d[f"p{pupil.pk}"]) and not d["cancelled"]},
                )
        present = sum(1 for p in pupils if d[f"p{p.pk}"]) if not d["cancelled"] else 0
        messages.success(
            request,
            f"Register saved for {provision.name}: "
            + ("the session did not happen." if d["cancelled"] else f"{present} of {len(pupils)} there."),
        )
        return redirect("provision_sessions", school.urn)
    context = school_context(request, school, "sessions", provision=provision, form=form, pupils=pupils)
    return render(request, "provision/register.html", context)


MeasureFormSet = forms.modelformset_factory(
    Enrolment,
    fields=["measure", "entry_value", "entry_on", "exit_value", "exit_on"],
    extra=0,
    widgets={"entry_on": DateInput(), "exit_on": DateInput()},
)


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
    if request.method == "POST" and formset.is_valid():
        problems = [
            f
            for f in formset.forms
            if f.cleaned_data.get("entry_on")
            and f.cleaned_data.get("exit_on")
            and f.cleaned_data["exit_on"] < f.cleaned_data["entry_on"]
        ]
        for f in problems:
            f.add_error("exit_on", "The exit measure cannot be before the entry measure.")
        stale = []
        if not problems:
            with transaction.atomic():
                for form in formset.forms:
                    current = lock(Enrolment, form.instance.pk)
                    try:
                        fresh = MeasureFormSet(queryset=Enrolment.objects.filter(pk=current.pk)).forms[0]
                        check_seen(form, shown(fresh), current, what="set of measures")
                    except StaleSave as error:
                        stale.append((form, error))
                if not stale:
                    formset.save()
            for form, error in stale:
                show_stale(form, error)
        if not problems and not stale:
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
    context = school_context(request, school, "provision", rows=rows, chart=impact_chart(rows))
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
    SenBudget.objects.update_or_create(
        school=school, year_start=year_start, defaults={"notional_pence": pence_from_pounds(pounds)}
    )
    messages.success(request, "The notional SEN budget for this school year was saved.")
    return redirect("provision_map", school.urn)
