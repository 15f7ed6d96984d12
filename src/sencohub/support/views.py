"""Support plan pages: a pupil's cycles, planning, reviewing, evidence, and a teacher's "my pupils with SEN"."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.documents.rendering import PDF_TYPE
from sencohub.documents.services import document_response
from sencohub.ehcp.models import PlanOutcome
from sencohub.kernel import audit
from sencohub.kernel.background import progress_poll
from sencohub.kernel.files import attachment, download
from sencohub.kernel.forms import saved
from sencohub.kernel.versions import Duplicate
from sencohub.provision.models import Enrolment, Provision
from sencohub.provision.selectors import attendance_by_provision, sessions_today
from sencohub.pupils.selectors import pupil_for_user, pupils_for_user, school_and_pupil_for_user
from sencohub.register.models import Need, SenStatus
from sencohub.register.selectors import concerns_about_pupil
from sencohub.schools.models import Role, Term
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import roles_in_school, school_for_user, user_can
from sencohub.statutory import census
from sencohub.statutory.school_year import school_year_start
from sencohub.support import quality
from sencohub.support.documents import (
    PUPIL_PASSPORT,
    REVIEW_INVITATION,
    SUPPORT_LETTER,
    SUPPORT_PLAN,
    letter_context,
    passport_context,
    plan_context,
)
from sencohub.support.forms import (
    InvitedForm,
    MeetingForm,
    OutcomeFormSet,
    PassportForm,
    PrintForm,
    ProvisionFormSet,
    ReviewScheduleForm,
    StrategyFormSet,
    SupportEvidenceForm,
    SupportPlanForm,
    SupportPlanNewForm,
    SupportReviewForm,
    TermForm,
    TermRemovalForm,
)
from sencohub.support.models import Evidence, Outcome, ParentMeeting, Passport, PrintJob, SupportPlan
from sencohub.support.printing import print_bundle, print_job_watch
from sencohub.support.selectors import evidence_this_cycle, review_schedule_for
from sencohub.support.services import (
    MESSAGE_NOT_ON_REGISTER,
    PASSPORT_FIELDS,
    EditConflict,
    ReviewResult,
    default_review_date,
    evidence_add,
    parent_meeting_record,
    parents_invited_record,
    passport_save,
    plan_draft,
    review_record,
    review_schedule_save,
    starting_points,
    support_plan_create,
    support_plan_save,
    term_add,
    term_remove,
)

MESSAGE_REVIEW_RECORDED = "This review was already recorded."


def _plans(pupil):
    return (
        SupportPlan.objects.filter(pupil=pupil)
        .select_related("updated_by")
        .prefetch_related("outcomes__evidence__by", "strategies", "provisions")
    )


def _support_plan_for(pupil, plan_id) -> SupportPlan:
    plan = _plans(pupil).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def pupil_support(request, urn, upn):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    plans = list(_plans(pupil))
    current = next((p for p in plans if p.is_current), None)
    flags = (
        quality.check_plan(
            list(current.outcomes.all()), list(current.strategies.all()), list(current.provisions.all())
        )
        if current
        else []
    )
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        current=current,
        past=[p for p in plans if not p.is_current],
        flags=flags,
        can_edit=user_can(request.user, Action.EDIT_SUPPORT, school),
        can_evidence=user_can(request.user, Action.RECORD_EVIDENCE, school),
        on_register=pupil.sen_provision in (census.SEN_SUPPORT, census.EHC_PLAN),
        groups=Enrolment.objects.filter(pupil=pupil)
        .select_related("provision__intervention")
        .order_by("left_on", "-provision__starts_on"),
    )
    return render(request, "support/pupil.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, urn, upn):
    """The next cycle written in one go: nothing is saved until the SENCo saves, so leaving the page leaves no plan."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    posted = request.method == "POST" and "outcomes-TOTAL_FORMS" in request.POST
    if not posted:  # the page drawn afresh (a post from a page that only had a start button draws it too)
        current = SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).first()
        if current is not None:
            messages.info(request, f"Support plan {current.cycle} is the current plan: change it here.")
            return redirect("support_plan_edit", school.urn, pupil.upn, current.pk)
        if pupil.sen_provision not in (census.SEN_SUPPORT, census.EHC_PLAN):
            messages.error(request, MESSAGE_NOT_ON_REGISTER.format(pupil=pupil.full_name))
            return redirect("support_pupil", school.urn, pupil.upn)
    draft = plan_draft(pupil=pupil, starts_on=timezone.localdate())
    if posted:
        return _plan_page(request, school, pupil, draft.plan, data=request.POST)
    return _plan_page(request, school, pupil, draft.plan, data=None, draft=draft)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    plan = _support_plan_for(pupil, plan_id)
    if not plan.is_current:
        messages.error(request, "This plan has been reviewed, so it can no longer change.")
        return redirect("support_pupil", school.urn, pupil.upn)
    return _plan_page(request, school, pupil, plan, data=request.POST if request.method == "POST" else None)


ROW_NOUNS = {"outcomes": "Outcome", "strategies": "Strategy", "provisions": "Provision"}
QUALITY_FIELDS = {
    "outcomes": {"what": "", "success_criteria": "", "baseline": "", "target": "", "by_when": None},
    "strategies": {"text": "", "owner": ""},
    "provisions": {"description": "", "sessions_per_week": None, "minutes": None},
}


def _plan_page(request, school, pupil, plan, *, data, draft=None):
    """The plan's page, new (`plan` unsaved) or saved: its own fields and its outcome, strategy and provision rows.

    Adding or removing a row (the buttons beside the rows, when HTMX has not done it on the page) draws the page
    again with everything typed and saves nothing."""
    new = plan.pk is None
    action = _row_action(data) if data is not None else None
    if action is not None:
        data = _with_action(data, action)
    form_class = SupportPlanNewForm if new else SupportPlanForm
    form = form_class(data, instance=plan, initial={"version": plan.version, "cycle": plan.cycle})
    sets = _plan_parts(data, school, pupil, plan, draft=draft)
    flags = _flags_as_written(sets)
    if action is not None:
        _quiet(form, sets, focus=action)
    conflict = None

    def keep_theirs(f, clash):  # this page shows the other person's plan itself, from `conflict`
        nonlocal conflict
        conflict = clash.current
        f.data = f.data.copy()
        f.data["version"] = conflict.version  # saving again, having seen theirs, keeps this person's changes

    def save_parts(saved_plan):
        for f in sets[0].forms:  # an outcome left without a date is for the review date
            if getattr(f, "cleaned_data", None) and not f.removed and f.cleaned_data.get("by_when") is None:
                f.cleaned_data["by_when"] = f.instance.by_when = saved_plan.review_on
        for formset in sets:
            formset.instance = saved_plan
            formset.save()

    def save(f):
        if new:
            return support_plan_create(
                plan=f.save(commit=False),
                cycle=f.cleaned_data["cycle"],
                by=request.user,
                save_parts=save_parts,
            )
        return support_plan_save(
            plan=f.save(commit=False),
            expected_version=f.cleaned_data["version"],
            by=request.user,
            save_parts=save_parts,
        )

    if (
        action is None
        and all(s.is_valid() for s in sets)
        and saved(request, form, save, "The support plan was saved.", stale=keep_theirs)
    ):
        return redirect("support_pupil", school.urn, pupil.upn)
    row_errors = _row_errors(sets) if data is not None and action is None else []
    _, review_rule = default_review_date(school, plan.starts_on)
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        plan=plan,
        new=new,
        form=form,
        outcome_set=sets[0],
        strategy_set=sets[1],
        provision_set=sets[2],
        conflict=conflict,
        conflict_plan=_support_plan_for(pupil, plan.pk) if conflict else None,
        review_rule=review_rule,
        row_errors=row_errors,
        flags=flags,
        needs=list(Need.objects.filter(pupil=pupil).order_by("rank")),
        concerns=list(concerns_about_pupil(user=request.user, pupil=pupil).order_by("-raised_at")[:5]),
    )
    return render(request, "support/plan_edit.html", context)


def _plan_parts(data, school, pupil, plan, *, draft=None) -> list:
    """The outcome, strategy and provision rows: as posted, as the saved plan holds them, or, for a new plan, the
    rows `draft` carries over from the last cycle (one empty row where a part has none)."""
    on_map = list(Provision.objects.filter(school=school, pupils=pupil).distinct().order_by("name"))
    ehc_outcomes = PlanOutcome.objects.filter(plan__pupil=pupil, plan__ceased_on__isnull=True)
    has_ehc_outcomes = ehc_outcomes.exists()
    carried = {
        "outcomes": draft.outcomes if draft else [],
        "strategies": draft.strategies if draft else [],
        "provisions": draft.provisions if draft else [],
    }
    sets = []
    for factory, prefix in (
        (OutcomeFormSet, "outcomes"),
        (StrategyFormSet, "strategies"),
        (ProvisionFormSet, "provisions"),
    ):
        initial = [model_to_dict(part, fields=factory.form._meta.fields) for part in carried[prefix]]
        formset = factory(data, instance=plan, prefix=prefix, initial=initial or None)
        if data is None:
            has_rows = bool(initial) or (plan.pk is not None and formset.get_queryset().exists())
            formset.extra = len(initial) if initial else (0 if has_rows else 1)
        sets.append(formset)
    map_ids = [p.pk for p in on_map]
    # A saved plan's own outcomes; a row of a plan not saved yet is for the whole plan until it is saved.
    outcome_ids = list(plan.outcomes.values_list("pk", flat=True)) if plan.pk else []
    for provision_form in sets[2].forms:
        if outcome_ids:
            provision_form.fields["outcome"].queryset = Outcome.objects.filter(pk__in=outcome_ids).order_by(
                "pk"
            )
        else:
            del provision_form.fields["outcome"]
        provision_form.fields["provision"].queryset = Provision.objects.filter(pk__in=map_ids).order_by(
            "name"
        )
        provision_form.fields["provision"].empty_label = (
            "Not on the provision map" if on_map else "The pupil is in no provision on the map"
        )
    for outcome_form in sets[0].forms:
        outcome_form.fields["carried_from"].queryset = Outcome.objects.filter(plan__pupil=pupil)
        if has_ehc_outcomes:
            outcome_form.fields["ehc_outcome"].queryset = ehc_outcomes
            outcome_form.fields["ehc_outcome"].empty_label = "Not linked to an EHC plan outcome"
        else:
            del outcome_form.fields["ehc_outcome"]
    for formset in sets:
        _number_rows(formset)
    return sets


def _removed(f) -> bool:
    return f.is_bound and f.fields["DELETE"].widget.value_from_datadict(
        f.data, f.files, f.add_prefix("DELETE")
    )


def _number_rows(formset) -> None:
    """Each row's number as the page shows it ("Outcome 2"), counting only the rows not removed."""
    number = 0
    for f in formset.forms:
        f.removed = _removed(f)
        if not f.removed:
            number += 1
            f.row_number = number


def _row_action(data):
    """("add", "outcomes") or ("remove", "outcomes-2") for a press of a row's button, None otherwise."""
    if data.get("add") in ROW_NOUNS:
        return "add", data["add"]
    target = data.get("remove", "")
    kind, _, index = target.rpartition("-")
    if kind in ROW_NOUNS and index.isascii() and index.isdigit() and len(index) < 4:
        return "remove", target
    return None


def _with_action(data, action):
    """The posted form with one more empty row, or with a row marked to be removed."""
    data = data.copy()
    what, target = action
    if what == "add":
        key = f"{target}-TOTAL_FORMS"
        count = data.get(key, "0")
        data[key] = str(int(count) + 1) if count.isascii() and count.isdigit() and len(count) < 4 else "1"
    else:
        data[f"{target}-DELETE"] = "on"
    return data


def _quiet(form, sets, *, focus) -> None:
    """A page drawn again after adding or removing a row: nothing was saved, so nothing is marked wrong yet; the
    row just added (its first box) or the note of the row just removed takes the focus."""
    form._errors = ErrorDict()
    for formset in sets:
        for f in formset.forms:
            f._errors = ErrorDict()
        formset._errors, formset._non_form_errors = [f.errors for f in formset.forms], formset.error_class()
    what, target = focus
    for formset in sets:
        if what == "add" and formset.prefix == target and formset.forms:
            added = formset.forms[-1]
            first = next(field for field in added.visible_fields() if field.name != "DELETE")
            added.fields[first.name].widget.attrs["autofocus"] = True
        for f in formset.forms:
            f.focus = what == "remove" and f.prefix == target


def _row_errors(sets) -> list[tuple[str, str]]:
    """Every error inside the rows for the page's error summary: where it is, and which row ("Outcome 2: ...")."""
    out = []
    for formset in sets:
        noun = ROW_NOUNS[formset.prefix]
        for error in formset.non_form_errors():
            out.append((f"{formset.prefix}-rows", error))
        for f in formset.forms:
            if f.removed:
                continue
            for name, errors in f.errors.items():
                anchor = f[name].auto_id if name in f.fields else f.prefix
                for error in errors:
                    out.append((anchor, f"{noun} {f.row_number}: {error[:1].lower()}{error[1:]}"))
    return out


def _flags_as_written(sets) -> list[quality.Flag]:
    """The quality check of the plan as it stands on the page, saved or not: rows removed or left empty are not
    part of it."""
    parts = {}
    for formset in sets:
        rows = []
        for f in formset.forms:
            if f.removed:
                continue
            if f.is_bound:
                f.is_valid()
                values = f.cleaned_data
            else:
                values = f.initial
            row = {
                name: values.get(name) or default for name, default in QUALITY_FIELDS[formset.prefix].items()
            }
            if any(row.values()):
                if formset.prefix == "outcomes" and row["by_when"] is None:
                    row["by_when"] = "the review date"  # a blank date is the review date when saved
                rows.append(SimpleNamespace(**row))
        parts[formset.prefix] = rows
    return quality.check_plan(parts["outcomes"], parts["strategies"], parts["provisions"])


@login_required
@require_POST
def plan_row(request, urn, upn):
    """HTMX: a new empty outcome, strategy or provision row to add to the page, or a row marked to be removed.
    Nothing is saved; the rows already on the page are left as they are."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    action = _row_action(request.POST)
    if action is None:
        raise Http404
    data = _with_action(request.POST, action)
    sets = _plan_parts(data, school, pupil, SupportPlan(pupil=pupil, school=school))
    _quiet(SupportPlanForm(data), sets, focus=action)
    what, target = action
    prefix = target if what == "add" else target.rpartition("-")[0]
    formset = next(s for s in sets if s.prefix == prefix)
    if what == "add":
        row = formset.forms[-1]
    else:
        row = next((f for f in formset.forms if f.prefix == target), None)
        if row is None:
            raise Http404
    context = {
        "f": row,
        "noun": ROW_NOUNS[prefix],
        "school": school,
        "pupil": pupil,
        "prefix": prefix,
        "total": len(formset.forms) if what == "add" else None,
    }
    response = render(request, "support/_plan_row.html", context)
    if what == "remove":
        response["HX-Trigger-After-Swap"] = "plan-changed"  # the quality check looks again, without the row
    return response


@login_required
@require_POST
def plan_quality(request, urn, upn):
    """HTMX: the quality check of the plan as it is being written, from the page's form as it stands."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    sets = _plan_parts(request.POST, school, pupil, SupportPlan(pupil=pupil, school=school))
    context = {"flags": _flags_as_written(sets), "oob": True}
    return render(request, "support/_quality.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_review(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    plan = _support_plan_for(pupil, plan_id)
    if not plan.is_current:
        # A second click, someone else, or the browser's Back button after recording it: the review is done.
        if request.method == "POST":
            messages.info(request, MESSAGE_REVIEW_RECORDED)
        else:
            messages.info(request, f"Support plan {plan.cycle} has been reviewed: its review is below.")
        return redirect("support_pupil", school.urn, pupil.upn)
    parent_views = list(plan.parent_views_given.select_related("given_by"))
    form = SupportReviewForm(
        request.POST if request.method == "POST" else None,
        outcomes=plan.outcomes.all(),
        strategies=plan.strategies.all(),
        provisions=plan.provisions.all(),
        initial={
            "version": plan.version,
            "reviewed_on": timezone.localdate(),
            "parent_voice": "\n\n".join(v.views for v in parent_views),
        },
    )

    def record(f):
        d = f.cleaned_data
        try:
            return review_record(
                plan=plan,
                expected_version=d["version"],
                reviewed_on=d["reviewed_on"],
                results=f.results(),
                pupil_voice=d["pupil_voice"],
                parent_voice=d["parent_voice"],
                decision=d["decision"],
                decision_note=d["decision_note"],
                by=request.user,
                carry=f.carry(),
            )
        except EditConflict as clash:
            done_already = (
                clash.current.status == SupportPlan.Status.REVIEWED
                and clash.current.reviewed_on == d["reviewed_on"]
            )
            if done_already and clash.current.decision == d["decision"]:
                # The same review sent twice (a double click, or two people at once): it is recorded once.
                raise Duplicate(clash.current, MESSAGE_REVIEW_RECORDED) from clash
            raise ValidationError(
                f"{clash.current.updated_by or 'Someone'} changed this plan while you were reviewing it. "
                "Open the plan again to see their changes, then review it."
            ) from clash

    if saved(request, form, record, _review_recorded):
        done = form.saved_as
        if done is not None and done.request is not None:
            return redirect("ehc_request", school.urn, pupil.upn, done.request.pk)
        if done is not None and done.next_plan is not None:
            return redirect("support_plan_edit", school.urn, pupil.upn, done.next_plan.pk)
        return redirect("support_pupil", school.urn, pupil.upn)
    delivered = _delivered(plan)
    whole_plan = [d for d in delivered if d["planned"].outcome_id is None]
    points = starting_points(plan)
    next_review_on, next_review_rule = default_review_date(school, timezone.localdate())
    outcomes = [
        {
            "outcome": o,
            "result": form[f"result_{o.pk}"],
            "note": form[f"note_{o.pk}"],
            "provisions": [d for d in delivered if d["planned"].outcome_id == o.pk] + whole_plan,
            "starts_from": points.get(o.pk),
        }
        for o in form.outcomes
    ]
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        plan=plan,
        form=form,
        outcomes=outcomes,
        next_review_on=next_review_on,
        next_review_rule=next_review_rule,
        whole_plan=whole_plan,
        parent_views=parent_views,
    )
    return render(request, "support/review.html", context)


def _review_recorded(done: ReviewResult) -> str:
    if done.request is not None:
        return "The review was recorded and a request for an EHC needs assessment was started."
    if done.next_plan is not None:
        return f"The review was recorded. Support plan {done.next_plan.cycle} carries on the open outcomes."
    return "The review was recorded and SEN support has ended; the SEN register shows the change."


def _delivered(plan) -> list[dict]:
    """Each provision planned in `plan`: for one chosen from the map, this pupil's attendance and their latest
    entry and exit measures there, to judge the outcomes by."""
    planned_all = list(plan.provisions.select_related("provision"))
    on_map = [p.provision_id for p in planned_all if p.provision_id is not None]
    attendance = attendance_by_provision(on_map, pupil=plan.pupil)
    enrolments = {}
    for enrolment in Enrolment.objects.filter(provision_id__in=on_map, pupil=plan.pupil).order_by("pk"):
        enrolments[enrolment.provision_id] = enrolment  # the latest time the pupil was in the group
    return [
        {
            "planned": planned,
            "name": planned.provision.name if planned.provision else planned.description,
            "on_map": planned.provision is not None,
            "present": attendance[planned.provision_id].present if planned.provision else 0,
            "marked": attendance[planned.provision_id].marked if planned.provision else 0,
            "enrolment": enrolments.get(planned.provision_id),
        }
        for planned in planned_all
    ]


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request, urn, upn, outcome_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.RECORD_EVIDENCE)
    outcome = Outcome.objects.filter(
        plan__pupil=pupil, plan__status=SupportPlan.Status.CURRENT, pk=outcome_id
    ).first()
    if outcome is None:
        raise Http404
    form = SupportEvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"noted_on": timezone.localdate()},
    )
    if saved(
        request,
        form,
        lambda f: evidence_add(outcome=outcome, by=request.user, **f.cleaned_data),
        "Your evidence was recorded.",
    ):
        if request.GET.get("next") == "my-pupils":
            return redirect(reverse("my_pupils", args=[school.urn]) + f"#pupil-{pupil.upn}")
        return redirect("support_pupil", school.urn, pupil.upn)
    context = school_context(request, school, "register", pupil=pupil, outcome=outcome, form=form)
    return render(request, "support/evidence.html", context)


@login_required
def evidence_file(request, urn, upn, evidence_id):
    """The file attached to a piece of evidence (the read of the pupil's record is audited)."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    evidence = Evidence.objects.filter(pupil=pupil, pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return download(evidence.file)


@login_required
def my_pupils(request, urn):
    """Everyone's pupils with SEN that this person teaches: current strategies and outcomes on one page."""
    school = school_for_user(request.user, urn, Action.VIEW_SUPPORT)
    current = SupportPlan.objects.filter(status=SupportPlan.Status.CURRENT).prefetch_related(
        "outcomes", "strategies", "provisions"
    )
    pupils = list(
        pupils_for_user(request.user, action=Action.VIEW_SUPPORT)
        .filter(school=school, sen_provision__in=[census.SEN_SUPPORT, census.EHC_PLAN])
        .select_related("class_group")
        .prefetch_related(
            Prefetch("support_plans", queryset=current, to_attr="current_plans"),
            "needs",
            Prefetch("passports", queryset=Passport.objects.order_by("-version"), to_attr="passport_now"),
        )
        .order_by("class_group__name", "surname", "forename")
    )
    evidence = evidence_this_cycle(pupils=pupils)
    for p in pupils:
        p.evidence_count, p.evidence_latest = evidence.get(p.pk, (0, None))
    today = timezone.localdate()
    sessions, taken = [], set()
    if Role.TEACHING_ASSISTANT in roles_in_school(request.user, school):
        sessions, taken = sessions_today(user=request.user, school=school, today=today)
    context = school_context(
        request,
        school,
        "my_pupils",
        pupils=pupils,
        can_evidence=user_can(request.user, Action.RECORD_EVIDENCE, school),
        sessions=sessions,
        taken=taken,
        today=today,
    )
    return render(request, "support/my_pupils.html", context)


@login_required
def quality_help(request):
    return render(request, "support/quality_help.html", {"rules": quality.RULES})


@login_required
def passport(request, urn, upn):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    versions = list(Passport.objects.filter(pupil=pupil).select_related("created_by"))
    can_write = user_can(request.user, Action.EDIT_SUPPORT, school) or user_can(
        request.user, Action.RECORD_EVIDENCE, school
    )
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        current=versions[0] if versions else None,
        versions=versions,
        can_write=can_write,
    )
    return render(request, "support/passport.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def passport_edit(request, urn, upn):
    school = school_for_user(request.user, urn, Action.VIEW_SUPPORT)
    if not (
        user_can(request.user, Action.EDIT_SUPPORT, school)
        or user_can(request.user, Action.RECORD_EVIDENCE, school)
    ):
        raise Http404
    pupil = pupil_for_user(request.user, school, upn, action=Action.VIEW_SUPPORT)
    latest = Passport.objects.filter(pupil=pupil).first()
    form = PassportForm(
        request.POST if request.method == "POST" else None,
        instance=latest,
        initial={"based_on": latest.version if latest else None},
    )
    conflict = None

    def keep_theirs(f, clash):  # this page shows the other person's version itself, from `conflict`
        nonlocal conflict
        conflict = clash.current
        f.data = f.data.copy()
        f.data["based_on"] = conflict.version

    def save(f):
        fields = {name: f.cleaned_data[name] for name in PASSPORT_FIELDS}
        passport_save(pupil=pupil, by=request.user, based_on=f.cleaned_data["based_on"], **fields)

    if saved(request, form, save, "The passport was saved. Earlier versions are kept.", stale=keep_theirs):
        return redirect("support_passport", school.urn, pupil.upn)
    context = school_context(request, school, "register", pupil=pupil, form=form, conflict=conflict)
    return render(request, "support/passport_edit.html", context)


@login_required
def plan_download(request, urn, upn, plan_id, fmt):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    plan = _support_plan_for(pupil, plan_id)
    return document_response(
        request=request,
        school=school,
        kind=SUPPORT_PLAN,
        context=plan_context(plan),
        fmt=fmt,
        name=f"support-plan-{plan.cycle}-{pupil.upn}",
    )


@login_required
def passport_download(request, urn, upn, fmt):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    current = Passport.objects.filter(pupil=pupil).first()
    if current is None:
        raise Http404
    return document_response(
        request=request,
        school=school,
        kind=PUPIL_PASSPORT,
        context=passport_context(current),
        fmt=fmt,
        name=f"passport-{pupil.upn}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def print_start(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_SUPPORT)
    form = PrintForm(
        request.POST if request.method == "POST" else None,
        school=school,
        user=request.user,
        initial={"what": "plans", "fmt": "pdf"},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = PrintJob.objects.create(
            school=school,
            requested_by=request.user,
            what=d["what"],
            year_group=d["year_group"],
            class_group=d["class_group"],
            fmt=d["fmt"],
        )
        PrintJob.objects.filter(pk=job.pk).update(task_id=print_bundle.enqueue(job.pk).id)
        return redirect("print_job", school.urn, job.pk)
    recent = list(PrintJob.objects.filter(school=school, requested_by=request.user).defer("result")[:5])
    for job in recent:
        print_job_watch(job)  # so that one whose worker stopped shows as failed here too
    return render(
        request, "support/print.html", school_context(request, school, "print", form=form, recent=recent)
    )


def _job_for(request, school, job_id) -> PrintJob:
    job = PrintJob.objects.filter(school=school, requested_by=request.user, pk=job_id).defer("result").first()
    if job is None:
        raise Http404
    return job


@login_required
def print_job(request, urn, job_id):
    school = school_for_user(request.user, urn, Action.VIEW_SUPPORT)
    job = _job_for(request, school, job_id)
    worker = print_job_watch(job)
    context = {"school": school, "job": job, "worker": worker}
    polled = progress_poll(
        request,
        target="print-progress",
        running=job.in_progress,
        template="support/print_job.html",
        context=context,
    )
    return polled or render(
        request, "support/print_job.html", school_context(request, school, "print", job=job, worker=worker)
    )


@login_required
def print_download(request, urn, job_id):
    school = school_for_user(request.user, urn, Action.VIEW_SUPPORT)
    job = PrintJob.objects.filter(
        school=school, requested_by=request.user, pk=job_id, status=PrintJob.Status.DONE
    ).first()
    if job is None or not job.result:
        raise Http404
    require_recent_confirmation(request)
    audit.pupils_read(job.pupil_ids, actor=request.user)  # the file was made earlier: no pupil is loaded now
    content_type = PDF_TYPE if job.filename.endswith(".pdf") else "application/zip"
    return attachment(bytes(job.result), content_type=content_type, filename=job.filename)


@login_required
@require_http_methods(["GET", "POST"])
def parents(request, urn, upn):
    """Working with parents: told that SEN support began, invited to reviews, and the meetings held."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_SUPPORT)
    can_edit = user_can(request.user, Action.EDIT_SUPPORT, school)
    today = timezone.localdate()
    current = SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).first()
    meeting_form = MeetingForm(initial={"held_on": today})
    invited_form = InvitedForm(initial={"invited_on": today})
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if "meeting" in request.POST:
            meeting_form = MeetingForm(request.POST)
            if saved(
                request,
                meeting_form,
                lambda f: parent_meeting_record(pupil=pupil, by=request.user, today=today, **f.cleaned_data),
                "The meeting was recorded.",
            ):
                return redirect("support_parents", school.urn, pupil.upn)
        elif "invited" in request.POST and current is not None:
            invited_form = InvitedForm(request.POST)
            if saved(
                request,
                invited_form,
                lambda f: parents_invited_record(plan=current, invited_on=f.cleaned_data["invited_on"]),
                "The invitation was recorded.",
            ):
                return redirect("support_parents", school.urn, pupil.upn)
    year_start = school_year_start(today)
    meetings = list(ParentMeeting.objects.filter(pupil=pupil).select_related("recorded_by"))
    support_status = SenStatus.objects.filter(
        pupil=pupil, end_date__isnull=True, provision=census.SEN_SUPPORT
    ).first()
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        current=current,
        meetings=meetings,
        can_edit=can_edit,
        meetings_this_year=sum(1 for m in meetings if m.held_on >= year_start),
        year_start=year_start,
        support_status=support_status,
        carers=list(pupil.parent_carers.all()) if can_edit else [],
        meeting_form=meeting_form,
        invited_form=invited_form,
        form=meeting_form if meeting_form.errors else (invited_form if invited_form.errors else None),
    )
    return render(request, "support/parents.html", context)


@login_required
def letter(request, urn, upn, kind_key, fmt):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_SUPPORT)
    if kind_key == SUPPORT_LETTER.key:
        status = SenStatus.objects.filter(
            pupil=pupil, end_date__isnull=True, provision=census.SEN_SUPPORT
        ).first()
        if status is None:
            raise Http404
        kind, about, style = SUPPORT_LETTER, status.start_date, "support"
    elif kind_key == REVIEW_INVITATION.key:
        plan = SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT).first()
        if plan is None:
            raise Http404
        kind, about, style = REVIEW_INVITATION, plan.review_on, "review"
    else:
        raise Http404
    context = letter_context(pupil, sender=request.user, about_date=about, kind=style)
    return document_response(
        request=request,
        school=school,
        kind=kind,
        context=context,
        fmt=fmt,
        name=f"letter-{style}-{pupil.upn}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def terms(request, urn):
    """The school's term dates, and when its support plans are reviewed by default (the end of the term, or a
    number of weeks after the start)."""
    school = school_for_user(request.user, urn, Action.EDIT_SUPPORT)
    form = TermForm(request.POST if request.method == "POST" and "add" in request.POST else None)
    removal = TermRemovalForm(
        request.POST if request.method == "POST" and "delete" in request.POST else None, school=school
    )
    if removal.is_bound and saved(
        request, removal, lambda f: term_remove(term=f.cleaned_data["term"]), "The term was removed."
    ):
        return redirect("terms", school.urn)
    if form.is_bound and saved(
        request,
        form,
        lambda f: term_add(school=school, **f.cleaned_data),
        lambda term: f"{term.name} was added.",
    ):
        return redirect("terms", school.urn)
    schedule = ReviewScheduleForm(
        request.POST if request.method == "POST" and "schedule" in request.POST else None,
        instance=review_schedule_for(school),
    )
    if schedule.is_bound and saved(
        request,
        schedule,
        lambda f: review_schedule_save(school=school, **f.cleaned_data),
        "The review schedule was saved.",
    ):
        return redirect("terms", school.urn)
    schedule_date, schedule_rule = default_review_date(school, timezone.localdate())
    context = school_context(
        request,
        school,
        "terms",
        form=form,
        removal=removal,
        schedule=schedule,
        schedule_date=schedule_date,
        schedule_rule=schedule_rule,
        terms=Term.objects.filter(school=school),
    )
    return render(request, "support/terms.html", context)
