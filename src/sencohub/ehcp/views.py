"""EHC pages: a pupil's requests, plans, reviews and transfers, and the compliance view of every date."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sencohub.accounts.reauth import require_recent_confirmation
from sencohub.documents.services import document_response
from sencohub.ehcp import calendar, compliance, documents, excusing, family, milestones, preparation
from sencohub.ehcp.delivery import delivery_for
from sencohub.ehcp.forms import (
    AdviceForm,
    AdviceReturnedForm,
    AnnualReviewForm,
    EhcEvidenceForm,
    EhcPlanForm,
    ExceptionForm,
    PlanCeaseForm,
    PlanOutcomeForm,
    PlanProvisionItemForm,
    RequestDatesForm,
    RequestStartForm,
    ReviewReportForm,
    TransferForm,
)
from sencohub.ehcp.models import (
    AdviceRequest,
    AnnualReview,
    AssessmentRequest,
    CalendarFeed,
    EhcPlan,
    PhaseTransfer,
    PlanOutcome,
    PlanProvisionItem,
)
from sencohub.ehcp.selectors import assessment_request_for_user, ehc_scope, limited_to_authorities
from sencohub.ehcp.services import (
    advice_add,
    advice_returned,
    ehc_plan_save,
    exception_add,
    plan_cease,
    request_save,
    review_save,
    transfer_save,
)
from sencohub.ehcp.wording import vague_phrases
from sencohub.kernel.forms import saved
from sencohub.kernel.tables import table_download
from sencohub.kernel.versions import (
    StaleSave,
    carry_seen,
    claim,
    claimed,
    save_unless_changed,
)
from sencohub.provision.models import Provision
from sencohub.pupils.selectors import school_and_pupil_for_user
from sencohub.schools.navigation import school_context
from sencohub.schools.permissions import Action
from sencohub.schools.selectors import school_for_user, schools_for_user, user_can
from sencohub.statutory import timelines as t


def _limit_authorities(request, school, form) -> None:
    """An LA officer records cases for their own authority only."""
    authorities = limited_to_authorities(request.user, school)
    if authorities is not None:
        form.fields["local_authority"].queryset = form.fields["local_authority"].queryset.filter(
            pk__in=authorities
        )


def _form_page(request, school, pupil, form, *, heading, back, intro="", submit="Save"):
    """One form page for every EHC record; `back` is (url name, link text, ids after the pupil's)."""
    back_url = reverse(back[0], args=[school.urn, pupil.upn, *back[2:]])
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        form=form,
        heading=heading,
        back_url=back_url,
        back_label=back[1],
        intro=intro,
        submit=submit,
    )
    return render(request, "ehcp/form.html", context)


@login_required
def pupil_ehc(request, urn, upn):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    scope = ehc_scope(request.user, school)
    today = timezone.localdate()
    requests = list(milestones.request_queryset().filter(scope, pupil=pupil))
    plans = list(milestones.plan_queryset().filter(scope, pupil=pupil))
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        requests=requests,
        plans=plans,
        milestones=milestones.for_pupil_records(requests, plans, today),
        can_edit=user_can(request.user, Action.EDIT_EHC, school),
        has_open_request=any(r.is_open for r in requests),
        has_current_plan=any(p.is_current for p in plans),
    )
    return render(request, "ehcp/pupil.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request, urn, upn):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    form = RequestStartForm(
        request.POST or None,
        instance=AssessmentRequest(pupil=pupil, school=school),
        initial={"local_authority": school.local_authority_id},
    )
    _limit_authorities(request, school, form)
    if saved(
        request,
        form,
        lambda f: request_save(f.save(commit=False), by=request.user),
        "The request was recorded.",
    ):
        return redirect("ehc_request", school.urn, pupil.upn, form.instance.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Start a request for an EHC needs assessment",
        back=("ehc_pupil", "Back to EHC"),
        intro="Record the request as it goes: the dates the LA received it and each decision. "
        "sencohub works out every statutory deadline from them.",
    )


@login_required
def request_detail(request, urn, upn, request_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        record=record,
        milestones=milestones.for_request(record, timezone.localdate()),
        exceptions=excusing.verdicts(record),
        can_edit=user_can(request.user, Action.EDIT_EHC, school),
    )
    return render(request, "ehcp/request.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, urn, upn, request_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    form = RequestDatesForm(request.POST or None, instance=record)
    if saved(
        request,
        form,
        lambda f: request_save(f.save(commit=False), by=request.user),
        "The request's dates were saved.",
    ):
        return redirect("ehc_request", school.urn, pupil.upn, record.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Record the request's dates and decisions",
        back=("ehc_request", "Back to the request", record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_new(request, urn, upn, request_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    form = AdviceForm(request.POST or None)
    if saved(
        request,
        form,
        lambda f: advice_add(request=record, **f.cleaned_data),
        "The advice request was recorded: it is due back in 6 weeks.",
    ):
        return redirect("ehc_request", school.urn, pupil.upn, record.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Record a request for advice",
        back=("ehc_request", "Back to the request", record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_return(request, urn, upn, request_id, advice_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    advice = AdviceRequest.objects.filter(request=record, pk=advice_id).first()
    if advice is None:
        raise Http404
    form = AdviceReturnedForm(request.POST or None, initial={"returned_on": advice.returned_on})
    carry_seen(form)

    def save(f):  # refused if someone recorded another date since this page was drawn
        return save_unless_changed(
            f,
            AdviceRequest,
            advice.pk,
            drawn=lambda current: AdviceReturnedForm(initial={"returned_on": current.returned_on}),
            what="advice request",
            write=lambda current: advice_returned(advice=current, returned_on=f.cleaned_data["returned_on"]),
        )

    if saved(request, form, save, f"Advice from {advice.adviser} was recorded as returned."):
        return redirect("ehc_request", school.urn, pupil.upn, record.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading=f"Advice returned from {advice.adviser}",
        back=("ehc_request", "Back to the request", record.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def exception_new(request, urn, upn, request_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    form = ExceptionForm(request.POST or None)

    def recorded(added) -> str:
        _, verdict = added
        return f"The exception was recorded. {verdict.excused_text()}"

    if saved(request, form, lambda f: exception_add(request=record, **f.cleaned_data), recorded):
        _, verdict = form.saved_as
        if verdict.not_excused:
            messages.warning(request, verdict.not_excused_text())
        return redirect("ehc_request", school.urn, pupil.upn, record.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Record an exception to the time limits",
        back=("ehc_request", "Back to the request", record.pk),
        intro=EXCEPTION_INTRO,
    )


EXCEPTION_INTRO = (
    "The regulations let the LA miss a limit for these reasons only, and only a limit that was running at the "
    "time. A missed appointment excuses advice only. A school closure counts if it lasts at least 4 weeks and the "
    "LA asked the head teacher for advice from 1 week before it until 1 week before the school reopens. Being "
    "away from the LA's area counts from 4 continuous weeks. The due dates do not move; national figures report "
    "timeliness with and without exceptions."
)


def _ehc_plan_for(request, school, pupil, plan_id) -> EhcPlan:
    plan = milestones.plan_queryset().filter(ehc_scope(request.user, school), pupil=pupil, pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request, urn, upn):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    source = (
        AssessmentRequest.objects.filter(
            ehc_scope(request.user, school), pupil=pupil, pk=request.GET.get("request")
        ).first()
        if (request.GET.get("request") or "").isdigit()
        else None
    )
    initial = {
        "local_authority": source.local_authority_id if source else school.local_authority_id,
        "placement": school.name,
    }
    if source and source.final_plan_on:
        initial["issued_on"] = source.final_plan_on
    form = EhcPlanForm(
        request.POST or None, instance=EhcPlan(pupil=pupil, school=school, request=source), initial=initial
    )
    _limit_authorities(request, school, form)
    if saved(
        request,
        form,
        lambda f: ehc_plan_save(f.save(commit=False), by=request.user),
        "The EHC plan was recorded; the first annual review is scheduled from its date.",
    ):
        return redirect("ehc_plan", school.urn, pupil.upn, form.instance.pk)
    return _form_page(
        request, school, pupil, form, heading="Record an EHC plan", back=("ehc_pupil", "Back to EHC")
    )


@login_required
def plan_detail(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    today = timezone.localdate()
    found = milestones.for_plan(plan, today)
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        plan=plan,
        milestones=found,
        first_review_due=next((m.due for m in found if m.key == "review_due"), None),
        section_f_flags=vague_phrases(plan.section_f),
        outcomes=list(plan.outcomes.prefetch_related("steps__plan")),
        outcome_form=PlanOutcomeForm(),
        delivery=delivery_for(plan),
        item_form=_item_form(None, plan),
        under_five=pupil.date_of_birth.year > dt.MAXYEAR - 5 or t.add_months(pupil.date_of_birth, 60) > today,
        reviews=plan.reviews_in_meeting_order(),
        transfers=list(plan.transfers.all()),
        can_edit=user_can(request.user, Action.EDIT_EHC, school),
        can_edit_register=user_can(request.user, Action.EDIT_REGISTER, school),
    )
    return render(request, "ehcp/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    form = EhcPlanForm(request.POST or None, instance=plan)
    _limit_authorities(request, school, form)
    if saved(
        request, form, lambda f: ehc_plan_save(f.save(commit=False), by=request.user), "The plan was saved."
    ):
        return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Edit the EHC plan",
        back=("ehc_plan", "Back to the plan", plan.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_cease_page(request, urn, upn, plan_id):
    """Record that a plan has ceased; the SENCo says what the pupil's provision becomes, and the register follows."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    if not user_can(request.user, Action.EDIT_REGISTER, school):
        raise Http404
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    if plan.ceased_on is not None:
        messages.info(request, f"This plan ceased on {plan.ceased_on:%-d %B %Y}.")
        return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
    ranked = dict(pupil.needs.values_list("rank", "sen_type"))
    form = PlanCeaseForm(
        request.POST or None,
        instance=plan,
        initial={"primary_need": ranked.get(1, ""), "secondary_need": ranked.get(2, "")},
    )
    if saved(
        request,
        form,
        lambda f: plan_cease(
            plan=f.instance,
            ceased_on=f.cleaned_data["ceased_on"],
            provision=f.cleaned_data["provision"],
            primary_need=f.cleaned_data["primary_need"] or None,
            secondary_need=f.cleaned_data["secondary_need"] or None,
            by=request.user,
        ),
        f"The plan has ceased; {pupil.full_name}'s SEN provision was recorded on the register.",
    ):
        return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
    intro = (
        f"{pupil.full_name} is E (EHC plan) on the SEN register while the plan is current. Once it has ceased, "
        "say what their provision becomes from that day: the register and the school census follow."
    )
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Record that the plan has ceased",
        back=("ehc_plan", "Back to the plan", plan.pk),
        intro=intro,
        submit="Record that the plan has ceased",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, urn, upn, plan_id, review_id=None):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    review = (
        AnnualReview(plan=plan)
        if review_id is None
        else AnnualReview.objects.filter(plan=plan, pk=review_id).first()
    )
    if review is None:
        raise Http404
    form = AnnualReviewForm(request.POST or None, instance=review, year_group=pupil.year_group)
    if saved(request, form, lambda f: review_save(f.save(commit=False)), "The annual review was saved."):
        return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
    heading = "Arrange an annual review" if review_id is None else "Record the annual review"
    papers = preparation.papers_for(review)
    intro = (
        f"Invitations and advice go to everyone invited by {papers['invitations_due']}; the review report goes to "
        f"the local authority and everyone invited by {papers['report_due']}."
        if papers
        else ""
    )
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading=heading,
        back=("ehc_plan", "Back to the plan", plan.pk),
        intro=intro,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_edit(request, urn, upn, plan_id, transfer_id=None):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    transfer = (
        PhaseTransfer(plan=plan)
        if transfer_id is None
        else PhaseTransfer.objects.filter(plan=plan, pk=transfer_id).first()
    )
    if transfer is None:
        raise Http404
    form = TransferForm(request.POST or None, instance=transfer)
    if saved(request, form, lambda f: transfer_save(f.save(commit=False)), "The phase transfer was saved."):
        return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Phase transfer",
        back=("ehc_plan", "Back to the plan", plan.pk),
        intro="The amended plan naming the new school is due by 15 February of the year of transfer; "
        "for post-16, by 31 March.",
    )


@login_required
def school_compliance(request, urn):
    school = school_for_user(request.user, urn, Action.VIEW_COMPLIANCE)
    report = compliance.report(
        request.user, [school], timezone.localdate(), group_by_la=request.GET.get("group") == "la"
    )
    return render(
        request, "ehcp/compliance.html", school_context(request, school, "compliance", report=report)
    )


def _download(report, fmt: str, name: str):
    return table_download(
        fmt,
        filename=f"{name}-{report.today.isoformat()}",
        title="Statutory deadlines",
        header=compliance.COLUMNS,
        rows=compliance.rows_for_download(report),
    )


@login_required
def school_compliance_export(request, urn, fmt):
    school = school_for_user(request.user, urn, Action.VIEW_COMPLIANCE)
    require_recent_confirmation(request)
    return _download(
        compliance.report(request.user, [school], timezone.localdate()),
        fmt,
        f"statutory-deadlines-{school.urn}",
    )


@login_required
def compliance_all_export(request, fmt):
    schools = list(schools_for_user(request.user, Action.VIEW_COMPLIANCE))
    require_recent_confirmation(request)
    return _download(
        compliance.report(request.user, schools, timezone.localdate()), fmt, "statutory-deadlines"
    )


@login_required
def compliance_all(request):
    """Every statutory date across the schools the person reaches (a trust SEND lead's or LA officer's view)."""
    schools = list(schools_for_user(request.user, Action.VIEW_COMPLIANCE).order_by("name"))
    report = compliance.report(
        request.user, schools, timezone.localdate(), group_by_la=request.GET.get("group") == "la"
    )
    return render(request, "ehcp/compliance.html", {"report": report, "schools": schools, "across": True})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feeds(request):
    """Create, see and revoke the person's private calendar addresses."""
    new_url = None
    if request.method == "POST":
        _, secret = calendar.feed_create(user=request.user)
        new_url = request.build_absolute_uri(reverse("calendar_feed", args=[secret]))
    feeds = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(request, "ehcp/calendar_feeds.html", {"feeds": feeds, "new_url": new_url})


@login_required
@require_POST
def calendar_feed_revoke(request, feed_id):
    if not CalendarFeed.objects.filter(user=request.user, pk=feed_id).exists():
        raise Http404  # someone else's calendar address is not found, as anything outside a person's reach
    if calendar.feed_revoke(user=request.user, feed_id=feed_id):
        messages.success(request, "The calendar address was revoked: calendars using it will stop updating.")
    return redirect("calendar_feeds")


def calendar_feed(request, secret):
    """The ICS itself, fetched by calendar apps without signing in: the secret in the address is the key."""
    user = calendar.feed_user(secret)
    if user is None:
        raise Http404
    body = calendar.calendar_for(user, timezone.localdate(), request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request, urn, upn, request_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    record = assessment_request_for_user(request.user, school, pupil, request_id)
    form = EhcEvidenceForm(request.POST or None, instance=record)
    if saved(request, form, claimed("request"), "The evidence was saved. Download the pack as Word or PDF."):
        return redirect("ehc_request", school.urn, pupil.upn, record.pk)
    return _form_page(
        request,
        school,
        pupil,
        form,
        heading="Complete the evidence for the request",
        back=("ehc_request", "Back to the request", record.pk),
        intro="sencohub adds the SEN history, needs, concerns and advice it holds. Write what only you "
        "can: a summary, what has been tried, the outcomes sought, and the pupil's and parents' views.",
    )


def _review_for(request, school, pupil, plan_id, review_id) -> AnnualReview:
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    review = (
        AnnualReview.objects.filter(plan=plan, pk=review_id)
        .select_related("plan__local_authority", "pupil")
        .first()
    )
    if review is None:
        raise Http404
    return review


@login_required
@require_http_methods(["GET", "POST"])
def review_report_edit(request, urn, upn, plan_id, review_id):
    """Prepare the review from what is held: who is invited (and who attended), the papers' dates, progress
    towards each section E outcome, section F as delivered, and each section's text to edit."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    review = _review_for(request, school, pupil, plan_id, review_id)
    form = ReviewReportForm(
        request.POST or None,
        review=review,
        invitees=preparation.invitees_for(review.plan),
        progress=preparation.outcome_progress(review.plan),
    )
    if saved(
        request,
        form,
        lambda f: _report_save(f, review),
        "The review report was saved. Download it as Word or PDF.",
    ):
        return redirect("ehc_plan", school.urn, pupil.upn, plan_id)
    context = school_context(
        request,
        school,
        "register",
        pupil=pupil,
        review=review,
        form=form,
        papers=preparation.papers_for(review),
        delivery=preparation.delivery_rows(review.plan),
        back_url=reverse("ehc_plan", args=[school.urn, pupil.upn, plan_id]),
    )
    return render(request, "ehcp/review_report.html", context)


@transaction.atomic
def _report_save(form, review: AnnualReview) -> None:
    form.apply(review)
    try:
        claim(review, what="review report")
    except StaleSave as stale:
        if stale.current is not None:
            stale.values = form.values_of(stale.current)
        raise
    review.save()


def _review_document(request, urn, upn, plan_id, review_id, fmt, *, kind, context_of, suffix: str):
    """A review's document, named by the review's number in meeting order and the pupil's name: a UPN in a file
    name goes wherever the file is attached, and a database id means nothing to anyone."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.VIEW_EHC)
    review = _review_for(request, school, pupil, plan_id, review_id)
    number = [r.pk for r in review.plan.reviews_in_meeting_order()].index(review.pk) + 1
    return document_response(
        request=request,
        school=school,
        kind=kind,
        context=context_of(review),
        fmt=fmt,
        name=f"annual-review-{number}{suffix}-{pupil.full_name}",
    )


@login_required
def review_invitation_download(request, urn, upn, plan_id, review_id, fmt):
    """The letter inviting the parents and everyone giving advice, with the dates the papers go round."""
    return _review_document(
        request,
        urn,
        upn,
        plan_id,
        review_id,
        fmt,
        kind=documents.REVIEW_INVITATION,
        context_of=documents.review_invitation_context,
        suffix="-invitation",
    )


@login_required
def review_report_download(request, urn, upn, plan_id, review_id, fmt):
    return _review_document(
        request,
        urn,
        upn,
        plan_id,
        review_id,
        fmt,
        kind=documents.REVIEW_REPORT,
        context_of=documents.review_report_context,
        suffix="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def views_capture(request, urn, upn, occasion, occasion_id, who):
    """Staff write down a pupil's (or a parent's) views with them, on the same plain-language form."""
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    back = ("ehc_pupil", [school.urn, pupil.upn])
    return family.views_page(
        request,
        pupil,
        occasion,
        occasion_id,
        who,
        done_url=back,
        school=school,
        authorities=limited_to_authorities(request.user, school),
    )


@login_required
@require_POST
def plan_outcome_add(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    form = PlanOutcomeForm(request.POST)
    if form.is_valid():
        outcome = form.save(commit=False)
        outcome.plan = plan
        outcome.save()
        messages.success(request, "The outcome was added to section E.")
    else:
        messages.error(request, "Write the outcome before adding it.")
    return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)


@login_required
@require_POST
def plan_outcome_remove(request, urn, upn, plan_id, outcome_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    if PlanOutcome.objects.filter(plan=plan, pk=outcome_id).delete()[0]:
        messages.success(
            request, "The outcome was removed from section E; support plan outcomes linked to it are kept."
        )
    return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)


def _item_form(data, plan):
    form = PlanProvisionItemForm(data)
    form.fields["provision"].queryset = Provision.objects.filter(school=plan.school, pupils=plan.pupil)
    form.fields["provision"].empty_label = "Not on the provision map"
    return form


@login_required
@require_POST
def plan_item_add(request, urn, upn, plan_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    form = _item_form(request.POST, plan)
    if form.is_valid():
        item = form.save(commit=False)
        item.plan = plan
        item.save()
        messages.success(request, "The section F provision was added.")
    else:
        messages.error(
            request,
            "Check the section F provision: " + "; ".join(e for errs in form.errors.values() for e in errs),
        )
    return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)


@login_required
@require_POST
def plan_item_remove(request, urn, upn, plan_id, item_id):
    school, pupil = school_and_pupil_for_user(request.user, urn, upn, Action.EDIT_EHC)
    plan = _ehc_plan_for(request, school, pupil, plan_id)
    if PlanProvisionItem.objects.filter(plan=plan, pk=item_id).delete()[0]:
        messages.success(request, "The section F provision was removed.")
    return redirect("ehc_plan", school.urn, pupil.upn, plan.pk)
