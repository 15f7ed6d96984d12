"""Pages for parent carers: their child's EHC plan and meetings, and their views (and their child's) in plain words.

Made for a phone: one question a box, short words, nothing to download. Views given here go straight into
the review or request they are for, where the SENCo sees them and the report includes them.
"""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sencohub.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan, ViewsGiven
from sencohub.kernel.forms import saved
from sencohub.pupils.selectors import child_for_user, children_for_user
from sencohub.schools.navigation import school_context

PARENT_QUESTIONS = [
    ("What is going well for your child?", "At school, at home, with friends, anything."),
    ("What is hard for your child at the moment?", ""),
    ("What would you like to change, or to happen next?", ""),
    ("Is there anything about your child's health or care that the meeting should know?", ""),
    ("Anything else you want to say?", ""),
]
PUPIL_QUESTIONS = [
    ("What do you like about school?", ""),
    ("What are you good at?", "What do other people like about you?"),
    ("What is hard for you?", ""),
    ("What helps you most?", "People, things or places that help."),
    ("What would you like to be different?", ""),
    ("What do you want to do when you are older?", ""),
]
QUESTIONS = {ViewsGiven.Who.PARENT: PARENT_QUESTIONS, ViewsGiven.Who.PUPIL: PUPIL_QUESTIONS}


class ViewsForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, (question, hint) in enumerate(questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question,
                help_text=hint,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def clean(self):
        data = super().clean()
        if not any((data.get(f"q{i}") or "").strip() for i in range(len(self.questions))):
            raise forms.ValidationError("Answer at least one question. You can leave out any you want to.")
        return data

    def answers(self) -> list[list[str]]:
        return [[q, self.cleaned_data[f"q{i}"].strip()] for i, (q, _) in enumerate(self.questions)]


def open_occasions(pupil, today):
    """Reviews still taking views (report not yet sent) and requests still in progress."""
    reviews = [
        r
        for r in AnnualReview.objects.filter(
            plan__pupil=pupil, plan__ceased_on__isnull=True, report_sent_on__isnull=True
        )
        .select_related("plan")
        .order_by("meeting_on")
        if r.meeting_on is None or r.meeting_on >= today - dt.timedelta(days=14)
    ]
    requests = [r for r in AssessmentRequest.objects.filter(pupil=pupil) if r.is_open]
    return reviews, requests


def _occasion(pupil, occasion: str, occasion_id: int, authorities: list[int] | None = None):
    """The open review or request of the pupil's, or 404; with `authorities`, only one those LAs maintain."""
    reviews, requests = AnnualReview.objects.all(), AssessmentRequest.objects.all()
    if authorities is not None:
        reviews = reviews.filter(plan__local_authority_id__in=authorities)
        requests = requests.filter(local_authority_id__in=authorities)
    if occasion == "review":
        found = (
            reviews.filter(plan__pupil=pupil, pk=occasion_id, report_sent_on__isnull=True)
            .select_related("plan")
            .first()
        )
    elif occasion == "request":
        found = requests.filter(pupil=pupil, pk=occasion_id).first()
        found = found if found and found.is_open else None
    else:
        found = None
    if found is None:
        raise Http404
    return found


@transaction.atomic
def views_record(*, pupil, target, who: str, answers: list[list[str]], by) -> ViewsGiven:
    """Keep the answers, and add them to the views the review or request holds, saying who gave them and when."""
    given = ViewsGiven.objects.create(
        pupil=pupil,
        who=who,
        answers=answers,
        given_by=by,
        review=target if isinstance(target, AnnualReview) else None,
        request=target if isinstance(target, AssessmentRequest) else None,
    )
    field = "parent_views" if who == ViewsGiven.Who.PARENT else "pupil_views"
    heading = f"Given through sencohub by {by} on {timezone.localdate():%-d %B %Y}:"
    current = getattr(target, field)
    setattr(target, field, (current + "\n\n" if current else "") + heading + "\n" + given.as_text())
    target.save(update_fields=[field])
    return given


@login_required
def family_home(request):
    children = list(children_for_user(request.user).select_related("school"))
    if len(children) == 1:
        return redirect("family_child", children[0].upn)
    return render(request, "ehcp/family_home.html", {"children": children})


def child_context(user, pupil, today: dt.date) -> dict:
    """The EHC part of a parent's page about their child: the plan, the meetings taking views, the views sent.

    The page itself is support's (`support.family`), which adds the support plan and the passport."""
    reviews, requests = open_occasions(pupil, today)
    plan = (
        EhcPlan.objects.filter(pupil=pupil, ceased_on__isnull=True).select_related("local_authority").first()
    )
    given = ViewsGiven.objects.filter(pupil=pupil, given_by=user).select_related("review", "request")
    return {
        "pupil": pupil,
        "plan": plan,
        "reviews": reviews,
        "requests": requests,
        "given": given,
        "today": today,
    }


@login_required
@require_http_methods(["GET", "POST"])
def family_views(request, upn, occasion, occasion_id, who):
    pupil = child_for_user(request.user, upn)
    return views_page(request, pupil, occasion, occasion_id, who, done_url=("family_child", [pupil.upn]))


def views_page(request, pupil, occasion, occasion_id, who, *, done_url, school=None, authorities=None):
    """`authorities`: an LA officer's, so that they reach only the reviews and requests their LA maintains."""
    if who not in QUESTIONS:
        raise Http404
    target = _occasion(pupil, occasion, occasion_id, authorities)
    form = ViewsForm(request.POST if request.method == "POST" else None, questions=QUESTIONS[who])
    if saved(
        request,
        form,
        lambda f: views_record(pupil=pupil, target=target, who=who, answers=f.answers(), by=request.user),
        "Thank you. Your answers have been sent to the school's SENCo.",
    ):
        return redirect(done_url[0], *done_url[1])
    what = "the annual review" if occasion == "review" else "the request for an EHC needs assessment"
    context = school_context(request, school, "register") if school else {}
    context |= {
        "pupil": pupil,
        "form": form,
        "who": who,
        "what": what,
        "target": target,
        "school": school,
        "heading": f"Your views for {pupil.forename}'s {what.removeprefix('the ')}"
        if who == "parent"
        else f"{pupil.forename}'s views",
    }
    return render(request, "ehcp/views_form.html", context)
