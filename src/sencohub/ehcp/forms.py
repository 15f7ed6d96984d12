from django import forms

from sencohub.ehcp.models import (
    REQUEST_DATES,
    REVIEW_DONE_DATES,
    SECTIONS,
    AnnualReview,
    AssessmentRequest,
    EhcPlan,
    PhaseTransfer,
    PlanOutcome,
    PlanProvisionItem,
    TimelineException,
)
from sencohub.kernel.dates import EHC_PLAN_ISSUED
from sencohub.kernel.forms import DateInput
from sencohub.kernel.versions import MAX_VERSION, VersionedForm
from sencohub.register.forms import NEED_CHOICES
from sencohub.schools.models import LocalAuthority
from sencohub.statutory.money import pence_from_pounds


def _dates(model, names):
    return {name: DateInput() for name in names}


class LocalAuthorityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class RequestStartForm(forms.ModelForm):
    local_authority = LocalAuthorityChoice(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Local authority asked to assess",
        help_text="The authority for the area where the pupil lives, which may not be the school's.",
        empty_label="Choose a local authority",
    )

    class Meta:
        model = AssessmentRequest
        fields = ["local_authority", "kind", "requested_by", "sent_on", "received_on", "notes"]
        widgets = {**_dates(AssessmentRequest, ["sent_on", "received_on"]), "kind": forms.RadioSelect}
        help_texts = {
            "received_on": "Every time limit runs from this day. Leave it empty until the LA confirms it."
        }


class RequestDatesForm(VersionedForm):
    decided_to_assess = forms.TypedChoiceField(
        label="What did the LA decide?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Not decided yet"), ("yes", "To assess"), ("no", "Not to assess")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )

    class Meta:
        model = AssessmentRequest
        fields = [
            "sent_on",
            "received_on",
            "decision_on",
            "decided_to_assess",
            "draft_sent_on",
            "comments_sent_on",
            "not_issuing_on",
            "final_plan_on",
            "withdrawn_on",
            "notes",
        ]
        widgets = _dates(AssessmentRequest, REQUEST_DATES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.decided_to_assess
        self.initial["decided_to_assess"] = {True: "yes", False: "no"}.get(value, "")


class AdviceForm(forms.Form):
    adviser = forms.CharField(
        label="Advice from", max_length=200, help_text="For example, educational psychologist."
    )
    requested_on = forms.DateField(label="Date advice was requested", widget=DateInput())
    returned_on = forms.DateField(label="Date advice was returned", widget=DateInput(), required=False)


class AdviceReturnedForm(forms.Form):
    returned_on = forms.DateField(label="Date advice was returned", widget=DateInput())


class ExceptionForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason", choices=TimelineException.Reason.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(
        label="First day",
        widget=DateInput(),
        help_text="Of the closure, the absence or the circumstances; or the day of the missed appointment.",
    )
    ends_on = forms.DateField(
        label="Last day",
        widget=DateInput(),
        required=False,
        help_text="The last day of the closure or absence, which must last at least 4 continuous weeks. "
        "Leave empty for a missed appointment, or circumstances still going on.",
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EhcPlanForm(VersionedForm):
    local_authority = LocalAuthorityChoice(
        queryset=LocalAuthority.objects.order_by("name"),
        label="Local authority that maintains the plan",
        empty_label="Choose a local authority",
    )
    element3_pounds = forms.DecimalField(
        label="Top-up funding a year (element 3), £",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
    )

    class Meta:
        model = EhcPlan
        # No cease date: ceasing a plan changes the register too, so it has its own page (plan_cease), which asks
        # what the pupil's provision becomes.
        fields = ["local_authority", "issued_on", "placement"] + [f"section_{key}" for key, _, _ in SECTIONS]
        widgets = {
            **_dates(EhcPlan, ["issued_on"]),
            **{f"section_{key}": forms.Textarea(attrs={"rows": 4}) for key, _, _ in SECTIONS},
        }
        labels = {f"section_{key}": f"Section {letter}: {title}" for key, letter, title in SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = ["local_authority", "issued_on", "placement", "element3_pounds"]
        self.order_fields(order + [f"section_{key}" for key, _, _ in SECTIONS])
        self.fields["issued_on"].validators.append(EHC_PLAN_ISSUED)
        if self.instance.element3_pence is not None:
            self.initial["element3_pounds"] = self.instance.element3_pence / 100

    def save(self, commit=True):
        pounds = self.cleaned_data.get("element3_pounds")
        self.instance.element3_pence = None if pounds is None else pence_from_pounds(pounds)
        return super().save(commit=commit)


class PlanCeaseForm(VersionedForm):
    """The day a plan ceased and what the pupil's SEN provision becomes from that day (the register follows)."""

    provision = forms.ChoiceField(
        label="What does the pupil's SEN provision become?",
        widget=forms.RadioSelect,
        choices=[
            ("K", "SEN support (K): the school goes on meeting the pupil's special educational needs"),
            ("N", "No SEN (N): the pupil no longer has special educational needs"),
        ],
        error_messages={
            "required": "Choose SEN support (K) or no SEN (N): a pupil whose plan has ceased is no longer E."
        },
    )
    primary_need = forms.ChoiceField(
        label="Primary need (rank 1), for SEN support", choices=NEED_CHOICES, required=False
    )
    secondary_need = forms.ChoiceField(
        label="Secondary need (rank 2), for SEN support", choices=NEED_CHOICES, required=False
    )

    class Meta:
        model = EhcPlan
        fields = ["ceased_on"]
        widgets = {"ceased_on": DateInput()}
        help_texts = {
            "ceased_on": "The date in the local authority's notice that it has ceased to maintain the plan."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ceased_on"].required = True
        self.fields["ceased_on"].error_messages["required"] = (
            "Enter the date the plan ceased, for example 31 March 2027."
        )


class AnnualReviewForm(VersionedForm):
    class Meta:
        model = AnnualReview
        fields = [
            "meeting_on",
            "invitations_sent_on",
            "advice_circulated_on",
            "report_sent_on",
            "decision",
            "decision_on",
            "amendments_sent_on",
            "amendment_comments_on",
            "amended_plan_on",
            "pupil_views",
            "parent_views",
            "preparing_for_adulthood",
        ]
        widgets = {
            **_dates(AnnualReview, ["meeting_on", *REVIEW_DONE_DATES]),
            "decision": forms.RadioSelect,
            "pupil_views": forms.Textarea(attrs={"rows": 3}),
            "parent_views": forms.Textarea(attrs={"rows": 3}),
            "preparing_for_adulthood": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "meeting_on": "A date still to come arranges the meeting; invitations are due 2 weeks before.",
            "amendment_comments_on": "The parent carer or young person has 15 days from the amendments to comment.",
        }

    def __init__(self, *args, year_group: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "Not decided yet"), *AnnualReview.Decision.choices]
        if not _from_year_9(year_group):
            del self.fields["preparing_for_adulthood"]


def _from_year_9(year_group: str) -> bool:
    return year_group.isdigit() and int(year_group) >= 9


class TransferForm(VersionedForm):
    class Meta:
        model = PhaseTransfer
        fields = ["transfer_on", "to", "new_setting", "amended_plan_on"]
        widgets = {**_dates(PhaseTransfer, ["transfer_on", "amended_plan_on"]), "to": forms.RadioSelect}


class EhcEvidenceForm(VersionedForm):
    class Meta:
        model = AssessmentRequest
        fields = ["summary", "tried", "outcomes_sought", "pupil_views", "parent_views"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
        help_texts = {
            "tried": "The graduated approach so far: support, interventions and advice, and what changed.",
            "pupil_views": "In the pupil's own words where you can.",
        }


class ReviewReportForm(forms.Form):
    """The school's review report: who attended, views, progress towards each section E outcome, the
    recommendation, and each section's text to edit into the proposed change.

    The progress and section boxes start from what sencohub holds (`progress`, the plan's text); only a box
    changed from that is kept, so a report saved unchanged keeps nothing and follows the plan and the evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION)

    attended = forms.MultipleChoiceField(
        label="Who attended",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone invited who took part. Select all that apply.",
        error_messages={"invalid_choice": "Select who attended from the people invited"},
    )
    attendees = forms.CharField(
        label="Anyone else who took part",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Name and role, for example Sam Patel, speech and language therapist.",
    )
    pupil_views = forms.CharField(
        label="The pupil's views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent_views = forms.CharField(
        label="The parents' views", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    preparing_for_adulthood = forms.CharField(
        label="Preparing for adulthood",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Employment, independent living, friends and community, and health.",
    )
    recommendation = forms.ChoiceField(
        label="The school's recommendation",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Not decided yet"), *AnnualReview.Decision.choices],
    )

    def __init__(self, *args, review: AnnualReview, invitees=(), progress=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.progress_held = {str(p.outcome.pk): p.held for p in progress}
        labels = [i.label for i in invitees]
        # Someone ticked before stays offered (and ticked) after they leave the list, so a save keeps them.
        labels += [name for name in review.attended if name not in labels]
        self.fields["attended"].choices = [(name, name) for name in labels]
        progress_fields = {}
        for p in progress:
            by_when = f" (by {p.outcome.by_when})" if p.outcome.by_when else ""
            progress_fields[f"progress_{p.outcome.pk}"] = forms.CharField(
                label=f"Progress towards: {p.outcome.text[:200]}{by_when}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text="Filled in from the support plans, teachers' evidence and measures. Edit it as agreed "
                "at the meeting.",
            )
        self.fields.update(progress_fields)
        for key, letter, title in SECTIONS:
            self.fields[f"amend_{key}"] = forms.CharField(
                label=f"Section {letter}: {title}: proposed change",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="The section as it stands now. Edit it to propose a change; leave it as it is, or "
                "empty, for no change.",
            )
        # Each outcome's progress after the views, before the recommendation and the sections.
        self.order_fields([*list(self.fields)[: list(self.fields).index("recommendation")], *progress_fields])
        if not _from_year_9(review.pupil.year_group if review.pupil_id else ""):
            del self.fields["preparing_for_adulthood"]
        if not self.is_bound:
            self.initial.update(self.values_of(review))

    def values_of(self, review: AnnualReview) -> dict:
        """The review's values as this form shows them."""
        return {
            "version": review.version,
            "attended": list(review.attended),
            "attendees": review.attendees,
            "pupil_views": review.pupil_views,
            "parent_views": review.parent_views,
            "preparing_for_adulthood": review.preparing_for_adulthood,
            "recommendation": review.recommendation,
            **{
                f"progress_{key}": (review.outcome_progress or {}).get(key, held)
                for key, held in self.progress_held.items()
            },
            **{
                f"amend_{key}": (review.amendments or {}).get(key) or getattr(review.plan, f"section_{key}")
                for key, _, _ in SECTIONS
            },
        }

    def apply(self, review: AnnualReview) -> AnnualReview:
        data = self.cleaned_data
        if data.get("version") is not None:
            review.version = data["version"]
        for name in ("attended", "attendees", "pupil_views", "parent_views", "recommendation"):
            setattr(review, name, data[name])
        if "preparing_for_adulthood" in data:
            review.preparing_for_adulthood = data["preparing_for_adulthood"]
        review.outcome_progress = {
            key: data[f"progress_{key}"].strip()
            for key, held in self.progress_held.items()
            if _changed(data[f"progress_{key}"], held)
        }
        review.amendments = {
            key: data[f"amend_{key}"].strip()
            for key, _, _ in SECTIONS
            if _changed(data[f"amend_{key}"], getattr(review.plan, f"section_{key}"))
        }
        return review


def _changed(typed: str, held: str) -> bool:
    """A box left as it was filled in (line endings and spaces at either end aside), or emptied, changes nothing."""
    typed = typed.replace("\r\n", "\n").strip()
    return bool(typed) and typed != held.replace("\r\n", "\n").strip()


class PlanOutcomeForm(forms.ModelForm):
    class Meta:
        model = PlanOutcome
        fields = ["text", "by_when"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": "Section E outcome"}


class PlanProvisionItemForm(forms.ModelForm):
    class Meta:
        model = PlanProvisionItem
        fields = ["description", "hours_per_week", "group_size", "staff", "provision"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"provision": "The provision on the map that delivers this, if any."}
