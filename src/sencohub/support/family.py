"""A parent carer's page about their child: the next review, the support plan in plain words, the passport, the
EHC plan and meetings (from `ehcp.family`), and a place to give their views before the support plan's review.

Made for a phone, as the other family pages. The parent only ever reaches their own children
(`child_for_user`); the views they give are kept as their own record, audited, and shown to the SENCo on the
review page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sencohub.ehcp.family import child_context
from sencohub.kernel.forms import saved
from sencohub.pupils.selectors import child_for_user
from sencohub.support.forms import ParentViewsForm
from sencohub.support.models import ParentViews, Passport, SupportPlan
from sencohub.support.services import PASSPORT_FIELDS, parent_views_give

PASSPORT_PARTS = [name for name in PASSPORT_FIELDS if name != "written_with"]  # "written with" shows apart
MESSAGE_VIEWS_SENT = "Thank you. Your views have been sent to the school's SENCo for the review."


def next_review(support_plan, ehc_reviews, today):
    """The first review still ahead: (date, what), or None when no date is known."""
    dates = []
    if support_plan is not None and support_plan.review_on >= today:
        dates.append((support_plan.review_on, "support plan review"))
    dates += [
        (r.meeting_on, "annual review of the EHC plan")
        for r in ehc_reviews
        if r.meeting_on and r.meeting_on >= today
    ]
    return min(dates) if dates else None


@login_required
@require_http_methods(["GET", "POST"])
def family_child(request, upn):
    pupil = child_for_user(request.user, upn)
    today = timezone.localdate()
    support_plan = (
        SupportPlan.objects.filter(pupil=pupil, status=SupportPlan.Status.CURRENT)
        .prefetch_related("outcomes", "strategies", "provisions")
        .first()
    )
    if request.method == "POST" and support_plan is None:
        raise Http404
    form = ParentViewsForm(request.POST if request.method == "POST" else None)
    if support_plan is not None and saved(
        request,
        form,
        lambda f: parent_views_give(plan=support_plan, views=f.cleaned_data["views"], by=request.user),
        MESSAGE_VIEWS_SENT,
    ):
        return redirect("family_child", pupil.upn)
    passport = Passport.objects.filter(pupil=pupil).order_by("-version").first()
    context = child_context(request.user, pupil, today)
    context |= {
        "support_plan": support_plan,
        "passport": passport,
        "passport_parts": [
            (Passport._meta.get_field(name).verbose_name, getattr(passport, name)) for name in PASSPORT_PARTS
        ]
        if passport
        else [],
        "views_form": form,
        "views_sent": list(
            ParentViews.objects.filter(pupil=pupil, given_by=request.user).select_related("plan")
        ),
        "next_review": next_review(support_plan, context["reviews"], today),
    }
    return render(request, "support/family_child.html", context)
