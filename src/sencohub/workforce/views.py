"""The SENCo workforce: a school's SENCos and their qualification, and the same across a trust or LA."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sencohub.core.forms import saved
from sencohub.core.navigation import school_context
from sencohub.register.forms import DateInput
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, schools_for_user, user_can
from sencohub.workforce.models import Appointment, Qualification
from sencohub.workforce.status import standing


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["name", "post", "starts_on", "ends_on", "leaving_reason", "qts", "previous_senco_months", "fte",
                  "hours_per_week", "protected_hours", "on_slt", "admin_hours"]  # fmt: skip
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "post": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Someone cannot leave the role before they were appointed.")
        if data.get("ends_on") and not data.get("leaving_reason"):
            self.add_error("leaving_reason", "Say why they left the role.")
        return data


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = ["kind", "name", "provider", "started_on", "expected_on", "completed_on", "status"]
        widgets = {"started_on": DateInput(), "expected_on": DateInput(), "completed_on": DateInput(), "kind": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if data.get("status") == Qualification.Status.COMPLETED and not data.get("completed_on"):
            self.add_error("completed_on", "Enter the date it was completed.")
        if data.get("completed_on") and data.get("started_on") and data["completed_on"] < data["started_on"]:
            self.add_error("completed_on", "It cannot be completed before it started.")
        return data


def _rows(appointments, today):
    return [{"appointment": a, "standing": standing(a, today) if a.post == Appointment.Post.SENCO and a.is_current else None}
            for a in appointments]  # fmt: skip


@login_required
def school_workforce(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_WORKFORCE)
    appointments = Appointment.objects.filter(school=school).prefetch_related("qualifications")
    context = school_context(request, school, "workforce", rows=_rows(appointments, timezone.localdate()),
                             can_edit=user_can(request.user, Action.EDIT_WORKFORCE, school))  # fmt: skip
    return render(request, "workforce/school.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_edit(request, urn, appointment_id=None):
    school = school_for_user(request.user, urn, Action.EDIT_WORKFORCE)
    instance = Appointment(school=school) if appointment_id is None else Appointment.objects.filter(school=school, pk=appointment_id).first()
    if instance is None:
        raise Http404
    form = AppointmentForm(request.POST or None, instance=instance)
    if saved(request, form, lambda f: f.save(), "The appointment was saved."):
        return redirect("workforce_school", school.urn)
    context = school_context(request, school, "workforce", form=form, heading="SENCo appointment")
    return render(request, "workforce/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def qualification_new(request, urn, appointment_id):
    school = school_for_user(request.user, urn, Action.EDIT_WORKFORCE)
    appointment = Appointment.objects.filter(school=school, pk=appointment_id).first()
    if appointment is None:
        raise Http404
    form = QualificationForm(request.POST or None, instance=Qualification(appointment=appointment))
    if saved(request, form, lambda f: f.save(), "The qualification was saved."):
        return redirect("workforce_school", school.urn)
    context = school_context(request, school, "workforce", form=form, heading=f"A qualification for {appointment.name}")
    return render(request, "workforce/form.html", context)


@login_required
def workforce_all(request):
    """Every school the person reaches: who is the SENCo and where they stand with the qualification."""
    schools = list(schools_for_user(request.user, Action.VIEW_WORKFORCE).order_by("name"))
    if not schools:
        raise Http404
    today = timezone.localdate()
    current = {}
    for a in Appointment.objects.filter(school__in=schools, post=Appointment.Post.SENCO, ends_on__isnull=True).prefetch_related("qualifications"):
        current.setdefault(a.school_id, a)
    rows = [{"school": s, "appointment": current.get(s.pk), "standing": standing(current[s.pk], today) if s.pk in current else None}
            for s in schools]  # fmt: skip
    counts = {}
    for row in rows:
        key = row["standing"].label if row["standing"] else "Vacancy"
        counts[key] = counts.get(key, 0) + 1
    return render(request, "workforce/all.html", {"rows": rows, "counts": sorted(counts.items())})
