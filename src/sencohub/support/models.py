"""The graduated approach: assess, plan, do, review (SEND Code of Practice 6.44-6.56).

One cycle is one support plan. A reviewed plan is frozen; the next cycle is a new plan that starts from the
last one's open outcomes. Every change is in the audit log, and two people editing the same plan cannot
overwrite each other (`version`).
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from sencohub.kernel.audit import PlanPartAudited, PupilAudited
from sencohub.pupils.models import Pupil
from sencohub.schools.models import School


class SupportPlan(PupilAudited, models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        REVIEWED = "reviewed", "Reviewed"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue with a new cycle"
        END = "end", "End SEN support"
        EHC = "ehc", "Request an EHC needs assessment"
        REFER = "refer", "Refer to an outside agency, and continue"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="support_plans")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="support_plans")
    cycle = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )
    starts_on = models.DateField("start of the cycle")
    review_on = models.DateField("review date")
    assessment = models.TextField("what the assessment found", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The review, once held.
    reviewed_on = models.DateField("date of the review", null=True, blank=True)
    pupil_voice = models.TextField("the pupil's views", blank=True)
    parent_voice = models.TextField("the parents' views", blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_note = models.TextField("about the decision", blank=True)
    parents_invited_on = models.DateField("date parents were invited to the review", null=True, blank=True)

    class Meta:
        ordering = ["-cycle", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(status="current"),
                name="one_current_support_plan_per_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"Support plan {self.cycle} for {self.pupil}"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT


class PlanPart(PlanPartAudited, models.Model):
    """Outcomes, strategies and provision belong to one plan and are audited with its pupil."""

    class Meta:
        abstract = True
        ordering = ["id"]


class Outcome(PlanPart):
    """A SMART outcome: what, how we will know (success criteria), from where to where, by when, and who."""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT = "not", "Not achieved"

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    what = models.TextField("outcome")
    success_criteria = models.TextField("how we will know it is achieved", blank=True)
    baseline = models.CharField("where the pupil is now", max_length=300, blank=True)
    target = models.CharField("target", max_length=300, blank=True)
    by_when = models.DateField("by when", null=True, blank=True)
    responsible = models.CharField("who is responsible", max_length=200, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    result_note = models.TextField("evidence for the result", blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The golden thread: the EHC plan outcome (section E) this term's outcome is a step towards.
    ehc_outcome = models.ForeignKey(
        "ehcp.PlanOutcome",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="steps",
        verbose_name="step towards the EHC plan outcome",
    )

    class Meta(PlanPart.Meta):
        pass

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.result != self.Result.ACHIEVED


class Strategy(PlanPart):
    """What class teachers and assistants do every day."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="strategies")
    text = models.TextField("strategy")
    owner = models.CharField("who uses it", max_length=200, blank=True)

    class Meta(PlanPart.Meta):
        verbose_name_plural = "strategies"


class PlannedProvision(PlanPart):
    """Provision beyond ordinary teaching: what, how often, how long, group size, who."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="provisions")
    description = models.CharField("provision", max_length=300)
    sessions_per_week = models.DecimalField(
        "sessions a week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    minutes = models.PositiveSmallIntegerField("minutes a session", null=True, blank=True)
    group_size = models.PositiveSmallIntegerField("pupils in the group", null=True, blank=True)
    staff = models.CharField("delivered by", max_length=200, blank=True)
    # Chosen from the provision map: then its attendance and measures show at the review.
    provision = models.ForeignKey(
        "provision.Provision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned",
        verbose_name="from the provision map",
    )
    # The outcome it is planned for: its attendance and measures show beside that outcome at the review, and its
    # exit measure becomes the outcome's starting point in the next cycle. Empty: planned for the whole plan.
    outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provisions",
        verbose_name="for the outcome",
    )

    class Meta(PlanPart.Meta):
        pass


class ReviewSchedule(models.Model):
    """When a school's support plans are reviewed by default. A school without one reviews at the end of the term."""

    class Rule(models.TextChoices):
        TERM = "term", "At the end of the term (the next term's end when the term ends within 6 weeks)"
        WEEKS = "weeks", "A number of weeks after the start of the cycle"

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="review_schedule")
    rule = models.CharField("when support plans are reviewed", max_length=5, choices=Rule.choices)
    weeks = models.PositiveSmallIntegerField(
        "weeks after the start", default=12, validators=[MinValueValidator(6), MaxValueValidator(12)]
    )

    def __str__(self) -> str:
        return f"Review schedule of {self.school}"


def _evidence_path(instance, filename):
    return f"evidence/{instance.pupil.school_id}/{instance.pupil_id}/{filename}"


class Evidence(PupilAudited, models.Model):
    """A quick, dated note against an outcome, by whoever saw it; optionally a file."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="evidence")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    noted_on = models.DateField("date")
    note = models.TextField("what you saw")
    file = models.FileField(upload_to=_evidence_path, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]


class Passport(PupilAudited, models.Model):
    """A one-page profile in the pupil's own words. Each save is a new version; the latest is current."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="passports")
    version = models.PositiveIntegerField(default=1)
    like_and_admire = models.TextField("What people like and admire about me", blank=True)
    important = models.TextField("What is important to me", blank=True)
    support_best = models.TextField("How best to support me", blank=True)
    find_hard = models.TextField("What I find hard", blank=True)
    written_with = models.CharField(
        "Written with", max_length=200, blank=True, help_text="For example, Ada and her teaching assistant."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["pupil", "version"], name="one_passport_per_version")]


class ParentMeeting(PupilAudited, models.Model):
    """A meeting with parents about their child's SEN (the Code of Practice expects three a year, 6.65)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "Support plan review"
        TERMLY = "termly", "Termly meeting"
        OTHER = "other", "Other meeting"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_meetings")
    held_on = models.DateField("date")
    kind = models.CharField("meeting", max_length=10, choices=Kind.choices, default=Kind.TERMLY)
    attendees = models.CharField("who came", max_length=300, blank=True)
    notes = models.TextField("what was agreed", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class ParentViews(PupilAudited, models.Model):
    """A parent carer's views before their child's support plan is reviewed, given on the family pages. The SENCo
    reads them on the review page, which starts the review's parents' views from them."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="parent_views_given")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    views = models.TextField("your views")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name_plural = "parent views"


class PrintJob(models.Model):
    """A bulk print of current plans or passports, made by a background task that reports its progress."""

    class What(models.TextChoices):
        PLANS = "plans", "Current support plans"
        PASSPORTS = "passports", "Pupil passports"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="print_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=10, choices=What.choices)
    year_group = models.CharField(max_length=2, blank=True)
    class_group = models.ForeignKey(
        "schools.ClassGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fmt = models.CharField(
        "format", max_length=4, choices=[("pdf", "One PDF"), ("docx", "Word files in a ZIP")]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    pupil_ids = models.JSONField(
        default=list, blank=True
    )  # whose records the file holds: each download is audited
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


for model in (
    SupportPlan,
    Outcome,
    Strategy,
    PlannedProvision,
    Evidence,
    Passport,
    ParentMeeting,
    ReviewSchedule,
    ParentViews,
):
    auditlog.register(model)
