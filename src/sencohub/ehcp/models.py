"""EHC needs assessment requests, EHC plans, annual reviews and phase transfers (DESIGN.md section 3).

The models hold what happened and when; every statutory due date is worked out from them by
`sencohub.statutory.timelines` (see `sencohub.ehcp.milestones`), never stored, so a corrected date
corrects every deadline that follows from it.
"""

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from sencohub.kernel.audit import PlanPartAudited, PupilAudited
from sencohub.kernel.versions import Versioned
from sencohub.pupils.models import Pupil
from sencohub.schools.models import LocalAuthority, School


class PupilRecord(PupilAudited, models.Model):
    """Anything that belongs to one pupil: audited with the pupil's id so it shows in their history."""

    class Meta:
        abstract = True


class AssessmentRequest(PupilRecord, Versioned):
    """A request for an EHC needs assessment (or a re-assessment) and the LA's decisions as they come."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "EHC needs assessment"
        REASSESSMENT = "reassessment", "Re-assessment"

    class Outcome(models.TextChoices):
        OPEN = "open", "In progress"
        REFUSED = "refused", "LA decided not to assess"
        NOT_ISSUED = "not_issued", "LA decided not to issue a plan"
        ISSUED = "issued", "Final EHC plan issued"
        WITHDRAWN = "withdrawn", "Withdrawn"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="assessment_requests")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessment_requests")
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="assessment_requests",
        help_text="The local authority asked to assess (where the pupil lives).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ASSESSMENT)
    requested_by = models.CharField(
        "requested by",
        max_length=100,
        default="school",
        help_text="The school, the parent carer or the young person.",
    )
    # The clock starts on the day the LA receives the request.
    sent_on = models.DateField("date the request was sent", null=True, blank=True)
    received_on = models.DateField("date the LA received the request", null=True, blank=True)
    decision_on = models.DateField("date of the decision whether to assess", null=True, blank=True)
    decided_to_assess = models.BooleanField("LA decided to assess", null=True, blank=True)
    draft_sent_on = models.DateField("date the draft plan was sent", null=True, blank=True)
    comments_sent_on = models.DateField("date comments on the draft were sent", null=True, blank=True)
    not_issuing_on = models.DateField("date the LA decided not to issue a plan", null=True, blank=True)
    final_plan_on = models.DateField("date the final plan was issued", null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # What the school adds to the evidence pack: checked and completed by the SENCo.
    summary = models.TextField("summary of the pupil's needs", blank=True)
    tried = models.TextField("what the school has tried, and with what effect", blank=True)
    outcomes_sought = models.TextField("the outcomes an EHC plan should help the pupil achieve", blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.pupil}"

    @property
    def outcome(self) -> str:
        if self.withdrawn_on:
            return self.Outcome.WITHDRAWN
        if self.decided_to_assess is False:
            return self.Outcome.REFUSED
        if self.not_issuing_on:
            return self.Outcome.NOT_ISSUED
        if self.final_plan_on:
            return self.Outcome.ISSUED
        return self.Outcome.OPEN

    @property
    def outcome_label(self) -> str:
        return self.Outcome(self.outcome).label

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


# The dates a request records as it goes, in the order they come; the form and the checks both use it.
REQUEST_DATES = (
    "sent_on",
    "received_on",
    "decision_on",
    "draft_sent_on",
    "comments_sent_on",
    "not_issuing_on",
    "final_plan_on",
    "withdrawn_on",
)


class AdviceRequest(PupilRecord):
    """Advice the LA asked of a professional during an assessment (Regs 6 and 8: 6 weeks to reply)."""

    request = models.ForeignKey(AssessmentRequest, on_delete=models.CASCADE, related_name="advice")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    adviser = models.CharField(
        "advice from", max_length=200, help_text="For example, educational psychologist."
    )
    requested_on = models.DateField("date advice was requested")
    returned_on = models.DateField("date advice was returned", null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "id"]


class TimelineException(PupilRecord):
    """A reason the law allows for not meeting a time limit (Regs 5(4), 8(2), 10(4), 13(3))."""

    class Reason(models.TextChoices):
        SCHOOL_CLOSURE = (
            "closure",
            "Advice asked of a head teacher around a school closure of 4 weeks or more",
        )
        PERSONAL = "personal", "Exceptional personal circumstances of the child, parent or young person"
        AWAY = "away", "Child, parent or young person away from the area for 4 weeks or more"
        MISSED_APPOINTMENT = "appointment", "A missed appointment (advice only)"

    request = models.ForeignKey(AssessmentRequest, on_delete=models.CASCADE, related_name="exceptions")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    starts_on = models.DateField("from")
    ends_on = models.DateField("to", null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    @property
    def one_day(self) -> bool:
        """A missed appointment is one day (its end may be left blank), as is any exception ending the day it starts."""
        return self.ends_on == self.starts_on or (
            self.ends_on is None and self.reason == self.Reason.MISSED_APPOINTMENT
        )


SECTIONS = [
    ("a", "A", "Views, interests and aspirations"),
    ("b", "B", "Special educational needs"),
    ("c", "C", "Health needs"),
    ("d", "D", "Social care needs"),
    ("e", "E", "Outcomes"),
    ("f", "F", "Special educational provision"),
    ("g", "G", "Health provision"),
    ("h1", "H1", "Social care provision under s.2 CSDPA 1970"),
    ("h2", "H2", "Other social care provision"),
    ("i", "I", "Placement"),
    ("j", "J", "Personal budget and direct payments"),
    ("k", "K", "Advice and information gathered"),
]


class EhcPlan(PupilRecord, Versioned):
    """An EHC plan as issued by the maintaining local authority, sections A to K (Regs 12(1))."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="ehc_plans")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="ehc_plans")
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="ehc_plans",
        help_text="The local authority that maintains the plan; often not the school's own.",
    )
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    issued_on = models.DateField("date the final plan was issued")
    ceased_on = models.DateField("date the plan ceased", null=True, blank=True)
    placement = models.CharField("named placement (section I)", max_length=200, blank=True)
    element3_pence = models.PositiveIntegerField(
        "top-up funding a year (element 3), pence", null=True, blank=True
    )
    section_a = models.TextField(blank=True)
    section_b = models.TextField(blank=True)
    section_c = models.TextField(blank=True)
    section_d = models.TextField(blank=True)
    section_e = models.TextField(blank=True)
    section_f = models.TextField(blank=True)
    section_g = models.TextField(blank=True)
    section_h1 = models.TextField(blank=True)
    section_h2 = models.TextField(blank=True)
    section_i = models.TextField(blank=True)
    section_j = models.TextField(blank=True)
    section_k = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(ceased_on__isnull=True),
                name="one_current_ehc_plan_per_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan for {self.pupil} issued {self.issued_on:%d/%m/%Y}"

    @property
    def is_current(self) -> bool:
        return self.ceased_on is None

    def sections(self) -> list[tuple[str, str, str]]:
        return [(letter, title, getattr(self, f"section_{key}")) for key, letter, title in SECTIONS]

    def reviews_in_meeting_order(self) -> list["AnnualReview"]:
        return in_meeting_order(self.reviews.all())


class PlanOutcome(PlanPartAudited, models.Model):
    """One section E outcome of an EHC plan; support plan outcomes are the termly steps towards it."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField("outcome")
    by_when = models.CharField(
        "by when", max_length=100, blank=True, help_text="For example, the end of key stage 2."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:100]


class PlanProvisionItem(PlanPartAudited, models.Model):
    """One item of section F, as specified (how many hours, what group, which staff), linked to the provision map."""

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="provision_items")
    description = models.TextField("provision specified")
    hours_per_week = models.DecimalField(
        "hours a week specified", max_digits=5, decimal_places=2, null=True, blank=True
    )
    group_size = models.PositiveSmallIntegerField("largest group specified", null=True, blank=True)
    staff = models.CharField("staff specified", max_length=200, blank=True)
    provision = models.ForeignKey(
        "provision.Provision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
        verbose_name="delivered through",
    )

    class Meta:
        ordering = ["id"]


class AnnualReview(PupilRecord, Versioned):
    """One annual review of a plan: the meeting, what the school sends, and the LA's decision after it."""

    class Decision(models.TextChoices):
        MAINTAIN = "maintain", "Maintain the plan unchanged"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Cease the plan"

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="reviews")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    meeting_on = models.DateField("date of the review meeting", null=True, blank=True)
    invitations_sent_on = models.DateField("date invitations were sent", null=True, blank=True)
    advice_circulated_on = models.DateField("date advice was circulated", null=True, blank=True)
    report_sent_on = models.DateField("date the review report was sent", null=True, blank=True)
    decision = models.CharField("LA decision", max_length=10, choices=Decision.choices, blank=True)
    decision_on = models.DateField("date of the LA decision", null=True, blank=True)
    amendments_sent_on = models.DateField("date proposed amendments were sent", null=True, blank=True)
    amendment_comments_on = models.DateField(
        "date comments on the proposed amendments were sent", null=True, blank=True
    )
    amended_plan_on = models.DateField("date the final amended plan was issued", null=True, blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    preparing_for_adulthood = models.TextField(blank=True)
    # Ticked from those invited (ehcp.preparation.invitees_for), as "name (role)"; anyone else in `attendees`.
    attended = models.JSONField("who attended, ticked from those invited", default=list, blank=True)
    attendees = models.TextField("who took part", blank=True)
    recommendation = models.CharField(
        "the school's recommendation", max_length=10, choices=Decision.choices, blank=True
    )
    # Proposed amendments, by plan section key ("a" to "k"); an empty or missing key means no change.
    amendments = models.JSONField(default=dict, blank=True)
    # Progress towards each section E outcome, by the outcome's id, where the school changed what sencohub holds.
    outcome_progress = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # As `in_meeting_order`, so that a query of reviews lists them the same way.
        ordering = ["plan", models.F("meeting_on").asc(nulls_last=True), "id"]

    def proposed_amendments(self) -> list[tuple[str, str, str, str]]:
        """(letter, title, current text, proposed change) for every section of the plan."""
        return [
            (letter, title, getattr(self.plan, f"section_{key}"), (self.amendments or {}).get(key, ""))
            for key, letter, title in SECTIONS
        ]

    def who_took_part(self) -> str:
        """Everyone ticked as attending, then anyone else written in."""
        return "; ".join([*self.attended, *([self.attendees.strip()] if self.attendees.strip() else [])])


def in_meeting_order(reviews) -> list[AnnualReview]:
    """Reviews in the order their meetings were held, any not yet arranged last: the one order in which they are
    numbered and counted on. Each review is due 12 months after the meeting before it (CFA s.44(1)), so a review
    typed in late for an earlier meeting must not be taken as the latest."""
    return sorted(reviews, key=lambda r: (r.meeting_on is None, r.meeting_on or dt.date.min, r.pk or 0))


# The dates of what has been done for a review, in the order it is done; only the meeting may be arranged ahead.
REVIEW_DONE_DATES = (
    "invitations_sent_on",
    "advice_circulated_on",
    "report_sent_on",
    "decision_on",
    "amendments_sent_on",
    "amendment_comments_on",
    "amended_plan_on",
)


class PhaseTransfer(PupilRecord, Versioned):
    """A move between phases: the amended plan naming the new setting is due by 15 February or 31 March."""

    class To(models.TextChoices):
        SCHOOL = "school", "Another school"
        POST16 = "post16", "Post-16 education"

    plan = models.ForeignKey(EhcPlan, on_delete=models.CASCADE, related_name="transfers")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    transfer_on = models.DateField("date of the transfer")
    to = models.CharField(max_length=10, choices=To.choices)
    new_setting = models.CharField("new school or college", max_length=200, blank=True)
    amended_plan_on = models.DateField("date the amended plan naming it was issued", null=True, blank=True)

    class Meta:
        ordering = ["transfer_on", "id"]


class ViewsGiven(PupilRecord):
    """Views given through sencohub for a review or a request, by a parent carer or with the pupil."""

    class Who(models.TextChoices):
        PARENT = "parent", "Parent carer"
        PUPIL = "pupil", "Pupil"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(
        AnnualReview, null=True, blank=True, on_delete=models.CASCADE, related_name="views_given"
    )
    request = models.ForeignKey(
        AssessmentRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="views_given"
    )
    who = models.CharField(max_length=10, choices=Who.choices)
    answers = models.JSONField(default=list)  # [[question, answer], ...] in the order asked
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review__isnull=False) | models.Q(request__isnull=False),
                name="views_for_something",
            ),
        ]

    def as_text(self) -> str:
        return "\n".join(f"{q} {a}" for q, a in self.answers if a)


class CalendarFeed(models.Model):
    """A private calendar address (ICS) of a person's statutory dates. Only a digest of its secret is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class DigestSent(models.Model):
    """That a person's daily digest went out on a day, so a second run that day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_a_day")]


for model in (
    AssessmentRequest,
    AdviceRequest,
    TimelineException,
    EhcPlan,
    PlanOutcome,
    PlanProvisionItem,
    AnnualReview,
    PhaseTransfer,
    ViewsGiven,
):
    auditlog.register(model)
# Who made or revoked a feed; never its secret's digest, nor each use (last_used_at).
auditlog.register(CalendarFeed, exclude_fields=["digest", "last_used_at"])
