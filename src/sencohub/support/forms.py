from django import forms
from django.core.files.uploadedfile import UploadedFile

from sencohub.kernel.files import DOCX, JPEG, MB, PDF, PNG, XLSX, check_upload
from sencohub.kernel.forms import DateInput, PlainNumberInput
from sencohub.register.selectors import filter_options
from sencohub.schools.models import ClassGroup, Term
from sencohub.statutory.review_cycle import MAX_WEEKS, MIN_WEEKS
from sencohub.support.models import (
    Evidence,
    Outcome,
    ParentMeeting,
    Passport,
    PlannedProvision,
    PrintJob,
    ReviewSchedule,
    Strategy,
    SupportPlan,
)
from sencohub.support.services import CARRY_ALL, MESSAGE_DECISION, MESSAGE_WEEKS, CarryOver


class SupportPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SupportPlan
        fields = ["starts_on", "review_on", "assessment"]
        widgets = {
            "starts_on": DateInput(),
            "review_on": DateInput(),
            "assessment": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "assessment": "What the assessment found: the pupil's strengths and needs, and what the evidence says."
        }
        error_messages = {
            "starts_on": {
                "required": "Enter the date the cycle starts",
                "invalid": "Enter the start as a real date",
            },
            "review_on": {
                "required": "Enter the review date",
                "invalid": "Enter the review date as a real date",
            },
        }


class SupportPlanNewForm(SupportPlanForm):
    """A plan written in one go: nothing is saved until the SENCo saves. `cycle` is the cycle the page was drawn
    for, so that a second click on Save finds the plan the first click made."""

    cycle = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=10_000)


def _textarea(rows=2):
    return forms.Textarea(attrs={"rows": rows})


OutcomeFormSet = forms.inlineformset_factory(
    SupportPlan,
    Outcome,
    fields=[
        "what",
        "success_criteria",
        "baseline",
        "target",
        "by_when",
        "responsible",
        "ehc_outcome",
        "carried_from",
    ],
    widgets={
        "what": _textarea(),
        "success_criteria": _textarea(),
        "by_when": DateInput(),
        "carried_from": forms.HiddenInput,
    },
    help_texts={
        "success_criteria": "What the pupil will do, how often, how well: how everyone will know.",
        "by_when": "Leave it blank for the plan's review date; it moves with the review date.",
    },
    error_messages={
        "what": {"required": "Enter what the pupil will achieve"},
        "by_when": {"invalid": "Enter the date it is for as a real date"},
    },
    extra=1,
    can_delete=True,
)
StrategyFormSet = forms.inlineformset_factory(
    SupportPlan,
    Strategy,
    fields=["text", "owner"],
    widgets={"text": _textarea()},
    help_texts={"owner": "For example, class teacher, teaching assistant, all staff."},
    error_messages={"text": {"required": "Enter the strategy"}},
    extra=1,
    can_delete=True,
)


MESSAGE_PROVISION_WHAT = "Say what the provision is, or choose it from the provision map."


class PlannedProvisionForm(forms.ModelForm):
    """Provision written in, or chosen from the provision map (which then fills in what is left empty)."""

    class Meta:
        model = PlannedProvision
        fields = [
            "provision",
            "description",
            "sessions_per_week",
            "minutes",
            "group_size",
            "staff",
            "outcome",
        ]
        widgets = {"sessions_per_week": PlainNumberInput}
        labels = {"outcome": "The outcome it is for"}
        help_texts = {
            "outcome": "Its attendance and measures show beside that outcome at the review, and its exit measure "
            "becomes where the outcome starts in the next cycle."
        }
        error_messages = {
            "sessions_per_week": {
                "invalid": "Enter the sessions a week as a number, like 3 or 1.5",
                "max_decimal_places": "Enter the sessions a week to one decimal place at most, like 1.5",
                "max_digits": "Enter the sessions a week as a number below 1,000",
                "max_whole_digits": "Enter the sessions a week as a number below 1,000",
            },
            "minutes": {"invalid": "Enter the minutes a session as a whole number, like 30"},
            "group_size": {"invalid": "Enter the pupils in the group as a whole number, like 4"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False
        # The page offers the saved plan's own outcomes (support.views._plan_parts); never anyone else's.
        self.fields["outcome"].queryset = Outcome.objects.none()
        self.fields["outcome"].empty_label = "The whole plan"

    def clean(self):
        data = super().clean()
        chosen = data.get("provision")
        if chosen is not None:
            data["description"] = data.get("description") or chosen.name
            data["sessions_per_week"] = data.get("sessions_per_week") or chosen.sessions_per_week
            data["minutes"] = data.get("minutes") or chosen.minutes
            data["staff"] = data.get("staff") or chosen.delivered_by[:200]
            data["group_size"] = data.get("group_size") or chosen.enrolments.current().count() or None
        elif not data.get("description") and self.has_changed() and not data.get("DELETE"):
            self.add_error("description", MESSAGE_PROVISION_WHAT)
        return data


ProvisionFormSet = forms.inlineformset_factory(
    SupportPlan,
    PlannedProvision,
    form=PlannedProvisionForm,
    extra=1,
    can_delete=True,
)


MAX_EVIDENCE_BYTES = 10 * MB
EVIDENCE_TYPES = (PDF, JPEG, PNG, DOCX, XLSX)


class SupportEvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["noted_on", "note", "file"]
        widgets = {"noted_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "file": "Optional: a photo of work or a score sheet, "
            "as a PDF, JPG, PNG, Word or Excel file (at most 10 MB)."
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file, not the one already kept
            check_upload(upload, kinds=EVIDENCE_TYPES, max_bytes=MAX_EVIDENCE_BYTES, what="the evidence")
        return upload


MESSAGE_REVIEW_DATE = "Enter the date of the review"
MESSAGE_REVIEW_DATE_REAL = "Enter the date of the review as a real date"
MESSAGE_RESULT = "Select a result for outcome {number}: {what}"


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class ParentViewsForm(forms.Form):
    views = forms.CharField(
        label="Your views for the next review",
        help_text="What is going well, what is hard, and what you would like to happen next. "
        "The SENCo reads this before the review meeting.",
        max_length=5000,
        widget=_textarea(6),
        error_messages={
            "required": "Write your views before you send them.",
            "max_length": "Your views must be 5,000 characters or fewer.",
        },
    )


class SupportReviewForm(forms.Form):
    """The review: a result and its evidence for each outcome (`result_<id>`, `note_<id>`), the voices, what happens
    next, and what carries over into the next cycle (every part ticked to begin with)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DateInput(),
        error_messages={"required": MESSAGE_REVIEW_DATE, "invalid": MESSAGE_REVIEW_DATE_REAL},
    )
    pupil_voice = forms.CharField(label="The pupil's views", widget=_textarea(3), required=False)
    parent_voice = forms.CharField(label="The parents' views", widget=_textarea(3), required=False)
    decision = forms.ChoiceField(
        label="What happens next",
        choices=SupportPlan.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MESSAGE_DECISION, "invalid_choice": MESSAGE_DECISION},
    )
    decision_note = forms.CharField(
        label="About the decision",
        widget=_textarea(2),
        required=False,
        help_text="For a referral: to whom, and why. It is printed with the reviewed plan.",
    )
    # Sent with the page's ticks: a post without it (made before the choice existed) carries everything over.
    carry_chosen = forms.BooleanField(widget=forms.HiddenInput, required=False, initial=True)
    carry_outcomes = forms.MultipleChoiceField(
        label="Outcomes to carry over",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Outcomes achieved at this review never carry over. Untick any you want to drop.",
    )
    carry_strategies = forms.MultipleChoiceField(
        label="Strategies to carry over", widget=forms.CheckboxSelectMultiple, required=False
    )
    carry_provisions = forms.MultipleChoiceField(
        label="Provision to carry over", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, outcomes, strategies=(), provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        for number, o in enumerate(self.outcomes, start=1):
            o.number = number
            named = f"outcome {number}: {_short(o.what)}"
            self.fields[f"result_{o.pk}"] = forms.ChoiceField(
                label=f"Result for {named}",
                choices=Outcome.Result.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": MESSAGE_RESULT.format(number=number, what=_short(o.what, 60)),
                    "invalid_choice": MESSAGE_RESULT.format(number=number, what=_short(o.what, 60)),
                },
            )
            self.fields[f"note_{o.pk}"] = forms.CharField(
                label=f"Evidence for the result of {named}", widget=_textarea(2), required=False
            )
        choices = {
            "carry_outcomes": [
                (str(o.pk), f"Outcome {o.number}: {_short(o.what, 120)}") for o in self.outcomes
            ],
            "carry_strategies": [(str(s.pk), _short(s.text, 120)) for s in strategies],
            "carry_provisions": [(str(p.pk), _short(p.description, 120)) for p in provisions],
        }
        for name, options in choices.items():
            self.fields[name].choices = options
            self.initial.setdefault(name, [value for value, _ in options])
        self.order_fields(
            ["reviewed_on"] + [n for o in self.outcomes for n in (f"result_{o.pk}", f"note_{o.pk}")]
        )

    def results(self) -> dict[int, tuple[str, str]]:
        return {
            o.pk: (self.cleaned_data[f"result_{o.pk}"], self.cleaned_data[f"note_{o.pk}"])
            for o in self.outcomes
        }

    def carry(self) -> CarryOver:
        if not self.cleaned_data["carry_chosen"]:
            return CARRY_ALL

        def ids(name):
            return frozenset(int(value) for value in self.cleaned_data[name])

        return CarryOver(
            outcomes=ids("carry_outcomes"),
            strategies=ids("carry_strategies"),
            provisions=ids("carry_provisions"),
        )


class ReviewScheduleForm(forms.ModelForm):
    class Meta:
        model = ReviewSchedule
        fields = ["rule", "weeks"]
        widgets = {"rule": forms.RadioSelect}
        labels = {"weeks": "Number of weeks, if reviewed a number of weeks after the start"}
        help_texts = {"weeks": "From 6 to 12."}
        error_messages = {
            "rule": {"required": "Select when support plans are reviewed"},
            "weeks": {
                "required": MESSAGE_WEEKS,
                "invalid": MESSAGE_WEEKS,
                "min_value": MESSAGE_WEEKS,
                "max_value": MESSAGE_WEEKS,
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weeks"].widget = forms.Select(
            choices=[(w, f"{w} weeks") for w in range(MIN_WEEKS, MAX_WEEKS + 1)]
        )


class PassportForm(forms.ModelForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Passport
        fields = ["like_and_admire", "important", "support_best", "find_hard", "written_with"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ["like_and_admire", "important", "support_best", "find_hard"]
        }


class PrintForm(forms.Form):
    what = forms.ChoiceField(label="What to print", choices=PrintJob.What.choices, widget=forms.RadioSelect)
    year_group = forms.ChoiceField(label="Year group", required=False)
    class_group = forms.ModelChoiceField(
        label="Or a class", queryset=None, required=False, empty_label="All classes"
    )
    fmt = forms.ChoiceField(
        label="Format",
        choices=[("pdf", "One PDF to print"), ("docx", "Word files, one a pupil, in a ZIP")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, school, user, **kwargs):
        super().__init__(*args, **kwargs)
        years = filter_options(user=user, school=school)["year_groups"]
        self.fields["year_group"].choices = [("", "All year groups")] + years
        self.fields["class_group"].queryset = ClassGroup.objects.filter(school=school)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = ParentMeeting
        fields = ["held_on", "kind", "attendees", "notes"]
        widgets = {
            "held_on": DateInput(),
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class InvitedForm(forms.Form):
    invited_on = forms.DateField(label="Date the invitation was sent", widget=DateInput())


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The term cannot end before it starts.")
        return data


class TermRemovalForm(forms.Form):
    delete = forms.CharField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean(self):
        data = super().clean()
        self.errors.pop("delete", None)  # the button is not a field to go back to: one message above the list
        term_id = data.get("delete", "")
        term = (
            Term.objects.filter(school=self.school, pk=term_id).first()
            if term_id.isascii() and term_id.isdigit()
            else None
        )
        if term is None:
            raise forms.ValidationError(
                "That term is not in the list any more: reload the page and try again."
            )
        data["term"] = term
        return data
