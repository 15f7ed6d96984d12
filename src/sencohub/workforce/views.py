"""The SENCo workforce: a school's SENCos, their qualification and time, staff training, the governors'
summary, and the same questions answered across a trust or LA."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.documents.services import document_response
from sencohub.kernel import tables
from sencohub.kernel.files import attachment, download
from sencohub.kernel.forms import saved
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, schools_for_user, user_can
from sencohub.statutory.school_year import school_year_start
from sencohub.workforce import across, services
from sencohub.workforce.documents import GOVERNORS_SUMMARY, governors_context
from sencohub.workforce.forms import (
    AppointmentForm,
    ConfirmationForm,
    QualificationForm,
    RatingsForm,
    TrainingSessionForm,
    WeekLogForm,
)
from sencohub.workforce.models import Appointment, Qualification, TrainingAttendance, TrainingSession, WeekLog
from sencohub.workforce.status import DUE_SOON, IN_PROGRESS, NO_QTS, NOT_STARTED, OVERDUE, standing
from sencohub.workforce.timelog import monday, split_chart, summarise, trend_chart, unlogged_weeks
from sencohub.workforce.training import hours, staff_of, staff_records, training_needs

# States in which the headteacher is asked to confirm the SENCo is working towards the qualification.
NEEDS_CONFIRMATION = (IN_PROGRESS, DUE_SOON, OVERDUE, NOT_STARTED)
CONFIRMATION_LASTS_DAYS = 365


def _appointment(school, appointment_id) -> Appointment:
    appointment = Appointment.objects.filter(school=school, pk=appointment_id).first()
    if appointment is None:
        raise Http404
    return appointment


def _rows(appointments, today):
    rows = []
    for a in appointments:
        found = standing(a, today) if a.post == Appointment.Post.SENCO and a.is_current else None
        confirmed = a.head_confirmed_on and (today - a.head_confirmed_on).days <= CONFIRMATION_LASTS_DAYS
        rows.append(
            {
                "appointment": a,
                "standing": found,
                "ask_head": found is not None and found.state in NEEDS_CONFIRMATION and not confirmed,
            }
        )
    return rows


@login_required
def school_workforce(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_WORKFORCE, area=True)
    appointments = (
        Appointment.objects.filter(school=school)
        .select_related("head_confirmed_by")
        .prefetch_related("qualifications")
    )
    context = school_context(
        request,
        school,
        "workforce",
        rows=_rows(appointments, timezone.localdate()),
        can_edit=user_can(request.user, Action.EDIT_WORKFORCE, school),
        can_confirm=user_can(request.user, Action.CONFIRM_SENCO_PROGRESS, school),
        can_log=user_can(request.user, Action.LOG_SENCO_TIME, school),
        confirmation_form=ConfirmationForm(),
        no_qts=NO_QTS,
    )
    return render(request, "workforce/school.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_edit(request, urn, appointment_id=None):
    school = school_for_user(request.user, urn, Action.EDIT_WORKFORCE)
    instance = Appointment(school=school) if appointment_id is None else _appointment(school, appointment_id)
    form = AppointmentForm(request.POST or None, instance=instance)
    if saved(
        request,
        form,
        lambda f: services.appointment_save(appointment=f.save(commit=False), by=request.user),
        "The appointment was saved.",
    ):
        _other_sencos(request, form.instance)
        return redirect("workforce_school", school.urn)
    context = school_context(request, school, "workforce", form=form, heading="SENCo appointment")
    return render(request, "workforce/form.html", context)


def _other_sencos(request, appointment) -> None:
    """A school may share the role (a job share), so a second current SENCo is allowed; but it is often a leaver
    whose end was never recorded, so the page names the others."""
    if appointment.post != Appointment.Post.SENCO or not appointment.is_current:
        return
    others = (
        Appointment.objects.filter(
            Appointment.in_post(timezone.localdate()), school=appointment.school, post=Appointment.Post.SENCO
        )
        .exclude(pk=appointment.pk)
        .order_by("starts_on", "id")
    )
    for other in others:
        messages.info(
            request,
            f"{other.name} is also recorded as SENCo here since {date_format(other.starts_on, 'j F Y')}; "
            "record the end of that appointment if they have left.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def qualification_edit(request, urn, appointment_id, qualification_id=None):
    school = school_for_user(request.user, urn, Action.EDIT_WORKFORCE)
    appointment = _appointment(school, appointment_id)
    instance = Qualification(appointment=appointment)
    if qualification_id is not None:
        instance = appointment.qualifications.filter(pk=qualification_id).first()
        if instance is None:
            raise Http404
    form = QualificationForm(request.POST or None, request.FILES or None, instance=instance)
    if saved(
        request,
        form,
        lambda f: services.qualification_save(qualification=f.save(commit=False), by=request.user),
        "The qualification was saved.",
    ):
        return redirect("workforce_school", school.urn)
    context = school_context(
        request, school, "workforce", form=form, heading=f"A qualification for {appointment.name}"
    )
    return render(request, "workforce/form.html", context)


@login_required
def certificate(request, urn, appointment_id, qualification_id):
    school = school_for_user(request.user, urn, Action.VIEW_WORKFORCE, area=True)
    found = Qualification.objects.filter(
        appointment__school=school, appointment_id=appointment_id, pk=qualification_id
    ).first()
    if found is None:
        raise Http404
    return download(found.certificate)


@login_required
@require_POST
def head_confirm(request, urn, appointment_id):
    school = school_for_user(request.user, urn, Action.CONFIRM_SENCO_PROGRESS)
    appointment = _appointment(school, appointment_id)
    form = ConfirmationForm(request.POST)
    if not saved(
        request,
        form,
        lambda f: services.head_confirmation_record(
            appointment=appointment, by=request.user, note=f.cleaned_data["note"], on=timezone.localdate()
        ),
        f"You confirmed that {appointment.name} is working towards the qualification.",
    ):
        messages.error(request, "Tick the box to confirm, or leave it for now.")
    return redirect("workforce_school", school.urn)


# The weekly time log ---------------------------------------------------------------------------------


def _year_from(request, today: dt.date) -> dt.date:
    try:
        year = int(request.GET["year"])
    except (KeyError, ValueError):
        return school_year_start(today)
    return dt.date(min(max(year, 2000), 2100), 9, 1)


@login_required
def time_log(request, urn, appointment_id):
    school = school_for_user(request.user, urn, Action.VIEW_WORKFORCE, area=True)
    appointment = _appointment(school, appointment_id)
    today = timezone.localdate()
    year = _year_from(request, today)
    weeks = list(
        WeekLog.objects.filter(
            appointment=appointment, week_of__gte=year, week_of__lt=year.replace(year=year.year + 1)
        )
    )
    summary = summarise(weeks, appointment.protected_hours)
    year_end = year.replace(year=year.year + 1)
    unlogged = unlogged_weeks(
        [w.week_of for w in weeks],
        max(year, appointment.starts_on),
        min(today, year_end, appointment.ends_on or year_end),
    )
    context = school_context(
        request,
        school,
        "workforce",
        appointment=appointment,
        summary=summary,
        split=split_chart(summary),
        split_height=30 * len(summary.shares),
        trend=trend_chart(summary),
        unlogged=unlogged,
        year=year,
        years=[year.year - 1, year.year, year.year + 1],
        can_log=user_can(request.user, Action.LOG_SENCO_TIME, school) and appointment.is_current,
        this_week=monday(today),
    )
    return render(request, "workforce/time.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def time_week(request, urn, appointment_id):
    school = school_for_user(request.user, urn, Action.LOG_SENCO_TIME)
    appointment = _appointment(school, appointment_id)
    today = timezone.localdate()
    try:
        week = monday(dt.date.fromisoformat(request.POST.get("week_of") or request.GET.get("week", "")))
    except ValueError:
        week = monday(today)
    instance = WeekLog.objects.filter(appointment=appointment, week_of=week).first() or WeekLog(
        appointment=appointment, week_of=week
    )
    form = WeekLogForm(request.POST or None, instance=instance, today=today)

    def save(f):
        f.instance = services.week_log_record(appointment=appointment, by=request.user, **f.cleaned_data)

    if saved(request, form, save, "The week was saved."):
        return redirect("workforce_time", school.urn, appointment.pk)
    context = school_context(request, school, "workforce", form=form, appointment=appointment, week=week)
    return render(request, "workforce/week.html", context)


# The governors' summary ------------------------------------------------------------------------------


@login_required
def governors(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_FIGURES)
    context = school_context(
        request, school, "governors", summary=governors_context(school, timezone.localdate())
    )
    return render(request, "workforce/governors.html", context)


@login_required
def governors_download(request, urn, fmt):
    school = school_for_user(request.user, urn, Action.VIEW_FIGURES)
    context = governors_context(school, timezone.localdate())
    return document_response(
        request=request,
        school=school,
        kind=GOVERNORS_SUMMARY,
        context=context,
        fmt=fmt,
        name=f"senco-summary-for-governors-{school.urn}",
    )


# Staff training -------------------------------------------------------------------------------------


@login_required
def training(request, urn):
    school = school_for_user(request.user, urn, Action.MANAGE_TRAINING)
    today = timezone.localdate()
    year = school_year_start(today)
    since = year.replace(year=year.year - 1)  # this school year and last
    sessions = TrainingSession.objects.filter(school=school).prefetch_related("attendance")
    context = school_context(
        request,
        school,
        "training",
        sessions=sessions,
        needs=training_needs(school, since),
        records=staff_records(school),
        since=since,
    )
    return render(request, "workforce/training.html", context)


def _ratings_set(request, attendance):
    """For `saved`: the ratings on the form, refused if someone saved any of them since the form was drawn."""
    return lambda f: services.training_ratings_set(
        by=request.user, attendance=attendance, ratings=f.ratings(), check=f.unchanged_since_drawn
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_session(request, urn, session_id=None):
    school = school_for_user(request.user, urn, Action.MANAGE_TRAINING)
    instance = TrainingSession(school=school)
    if session_id is not None:
        instance = TrainingSession.objects.filter(school=school, pk=session_id).first()
        if instance is None:
            raise Http404
    staff = staff_of(school)
    attendance = (
        list(TrainingAttendance.objects.filter(session=instance).select_related("user"))
        if instance.pk
        else []
    )
    if request.method == "POST" and "ratings" in request.POST:
        ratings = RatingsForm(request.POST, attendance=attendance)
        if saved(request, ratings, _ratings_set(request, attendance), "The confidence ratings were saved."):
            return redirect("workforce_training_session", school.urn, instance.pk)
        form = TrainingSessionForm(instance=instance, staff=staff)
    else:
        form = TrainingSessionForm(request.POST or None, instance=instance, staff=staff)
        ratings = RatingsForm(attendance=attendance)
        if saved(
            request,
            form,
            lambda f: services.training_session_save(
                session=f.save(commit=False), by=request.user, attendees=f.cleaned_data["attendees"]
            ),
            "The training session was saved.",
        ):
            return redirect("workforce_training_session", school.urn, form.instance.pk)
    context = school_context(request, school, "training", form=form, ratings=ratings, session=instance)
    return render(request, "workforce/training_session.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_training(request, urn):
    school = school_for_user(request.user, urn, Action.OWN_TRAINING)
    attendance = list(
        TrainingAttendance.objects.filter(session__school=school, user=request.user)
        .select_related("session", "user")
        .order_by("-session__held_on")
    )
    ratings = RatingsForm(request.POST or None, attendance=attendance)
    if saved(request, ratings, _ratings_set(request, attendance), "Your confidence ratings were saved."):
        return redirect("workforce_my_training", school.urn)
    context = school_context(
        request,
        school,
        "my_training",
        ratings=ratings,
        attendance=attendance,
        hours=hours(sum(a.session.minutes for a in attendance)),
    )
    return render(request, "workforce/my_training.html", context)


# Across schools ------------------------------------------------------------------------------------


def _across(request):
    schools = list(schools_for_user(request.user, Action.VIEW_WORKFORCE, area=True).order_by("name"))
    if not schools:
        raise Http404
    rows, leavers = across.school_rows(schools, timezone.localdate())
    return rows, leavers


@login_required
def workforce_all(request):
    """Every school the person reaches: who is the SENCo, where they stand, and the workforce in counts."""
    rows, leavers = _across(request)
    context = {"rows": rows, "leavers": leavers, "agg": across.aggregates(rows, leavers)}
    return render(request, "workforce/all.html", context)


@login_required
def workforce_export(request, fmt):
    rows, leavers = _across(request)
    filename = f"sencos-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        return attachment(
            tables.table_csv(across.EXPORT_COLUMNS, across.export_rows(rows)),
            content_type=tables.CSV_TYPE,
            filename=filename,
        )
    if fmt == "xlsx":
        return attachment(across.export_xlsx(rows, leavers), content_type=tables.XLSX_TYPE, filename=filename)
    raise Http404


@login_required
def workforce_aggregate(request, fmt):
    """The anonymised aggregate export: counts only, none from 1 to 4 and none that would give one away."""
    rows, leavers = _across(request)
    table = across.aggregate_rows(across.aggregates(rows, leavers))
    return tables.table_download(
        fmt,
        filename=f"senco-workforce-anonymised-{timezone.localdate().isoformat()}",
        title="SENCo workforce",
        header=across.AGGREGATE_COLUMNS,
        rows=table,
    )
