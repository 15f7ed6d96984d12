"""The statutory date calculator page: the `sencohub timeline` rules for anyone signed in."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from sencohub.kernel.forms import DateInput
from sencohub.statutory import timelines


def _date(label: str, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": f"Enter the {label.lower()} as a real date, for example 01/09/2026."},
    )


class EhcAssessmentForm(forms.Form):
    received = _date("Date the LA received the request", required=True)
    advice_requested = _date("Date advice was requested")
    draft_sent = _date("Date the draft plan was sent")

    def dates(self, d):
        return timelines.ehc_assessment(d["received"], d["advice_requested"], d["draft_sent"])


class ReassessmentForm(forms.Form):
    requested = _date("Date of the request to re-assess", required=True)

    def dates(self, d):
        return timelines.reassessment(d["requested"])


class AnnualReviewDatesForm(forms.Form):
    plan_issued = _date("Date the plan was issued", help_text="For a plan's first review.")
    last_review = _date("Date of the last review meeting", help_text="For every review after the first.")
    meeting = _date("Date of this review meeting")
    amendments_sent = _date("Date the LA sent its proposed amendments")

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("plan_issued") is None) == (data.get("last_review") is None):
            self.add_error(
                "plan_issued",
                "Enter either the date the plan was issued or the last review meeting, not both.",
            )
        return data

    def dates(self, d):
        return timelines.annual_review(
            plan_issued=d["plan_issued"],
            last_review=d["last_review"],
            meeting=d["meeting"],
            amendments_sent=d["amendments_sent"],
        )


class PhaseTransferForm(forms.Form):
    transfer = _date(
        "Date of the transfer", required=True, help_text="The day the pupil starts at the new setting."
    )
    to = forms.ChoiceField(
        label="Moving to",
        widget=forms.RadioSelect,
        choices=[
            ("school", "Another school (for example primary to secondary)"),
            ("post16", "Post-16 education"),
        ],
    )

    def dates(self, d):
        return timelines.phase_transfer(d["transfer"], d["to"])


class AppealForm(forms.Form):
    decision = _date("Date of the decision", required=True)
    mediation_certificate = _date("Date of the mediation certificate")

    def dates(self, d):
        return timelines.appeal(d["decision"], d["mediation_certificate"])


class SencoQualificationForm(forms.Form):
    appointed = _date("Date appointed as SENCo", required=True)
    previous_senco_months = forms.IntegerField(
        label="Months as a SENCo before this appointment",
        min_value=0,
        max_value=600,
        initial=0,
        required=False,
        error_messages={
            "min_value": "Months as a SENCo before cannot be negative.",
            "invalid": "Enter a whole number of months.",
        },
    )
    course = forms.ChoiceField(
        label="Qualification course",
        required=False,
        choices=[("", "None started"), ("npq", "NPQ for SENCOs"), ("nasenco", "NASENCo award")],
    )
    course_start = _date("Date the course started")

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("course")) != (data.get("course_start") is not None):
            self.add_error("course_start", "Give both the course and the date it started, or neither.")
        return data

    def dates(self, d):
        duty = timelines.senco_qualification(
            d["appointed"], d["previous_senco_months"] or 0, d["course"] or None, d["course_start"]
        )
        self.duty = duty
        return {"complete_by": duty.complete_by} if duty.complete_by else {}


@dataclass(frozen=True)
class Calculation:
    slug: str
    title: str
    summary: str
    form: type[forms.Form]


CALCULATIONS = {
    c.slug: c
    for c in [
        Calculation(
            "ehc-assessment",
            "EHC needs assessment",
            "From the day the LA received the request: the decision to assess, advice, the draft and the final plan.",
            EhcAssessmentForm,
        ),
        Calculation(
            "reassessment",
            "Re-assessment",
            "The decision and the final plan after a request to re-assess.",
            ReassessmentForm,
        ),
        Calculation(
            "annual-review",
            "Annual review",
            "When the review is due, the invitations, the report, the LA's decision and any amended plan.",
            AnnualReviewDatesForm,
        ),
        Calculation(
            "phase-transfer",
            "Phase transfer",
            "When the amended plan naming the new school or college is due.",
            PhaseTransferForm,
        ),
        Calculation(
            "appeal",
            "Appeal to the Tribunal",
            "The last day to appeal, after mediation or without it.",
            AppealForm,
        ),
        Calculation(
            "senco-qualification",
            "SENCo qualification",
            "Whether a SENCo must gain the NPQ for SENCOs (or NASENCo), and by when.",
            SencoQualificationForm,
        ),
    ]
}


@login_required
def calculator(request, slug: str | None = None):
    if slug is None:
        return render(request, "home/calculator_index.html", {"calculations": CALCULATIONS.values()})
    calculation = CALCULATIONS.get(slug)
    if calculation is None:
        raise Http404
    submitted = "calculate" in request.GET
    form = calculation.form(request.GET if submitted else None)
    rows, duty = [], None
    if submitted and form.is_valid():
        try:
            dates = form.dates(form.cleaned_data)
        except timelines.ImpossibleDates as impossible:
            form.add_error(None, impossible.in_words())
        except OverflowError:  # only from dates outside the window (every date field refuses them first)
            form.add_error(
                None, "The dates worked out from these fall outside the calendar: check the dates given."
            )
        else:
            duty = getattr(form, "duty", None)
            rows = [_row(name, day) for name, day in dates.items()]
    context = {"calculation": calculation, "form": form, "rows": rows, "duty": duty, "submitted": submitted}
    return render(request, "home/calculator.html", context)


def _row(name: str, day: dt.date) -> dict:
    rule = timelines.RULES[name]
    return {
        "label": rule.label,
        "date": day,
        "rule": rule.rule,
        "source": rule.source,
        "confidence": rule.confidence,
    }
