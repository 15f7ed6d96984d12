"""The provision map: the school's interventions, who delivers them to whom, and what they cost.

Money is whole pence. Costs are worked out by `sencohub.statutory.money` from the provision's sessions, the
staff member's hourly cost and the group, never stored, so a corrected pay band corrects every cost.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from sencohub.kernel.audit import PupilAudited
from sencohub.pupils.models import Pupil
from sencohub.schools.models import School

AREAS = [
    ("communication and interaction", "Communication and interaction"),
    ("cognition and learning", "Cognition and learning"),
    ("social, emotional and mental health", "Social, emotional and mental health"),
    ("sensory and/or physical", "Sensory and/or physical"),
]


# The weekdays a provision can meet on, in the order `Provision.days` numbers them (0 Monday to 4 Friday).
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


class SenBudget(models.Model):
    """The school's notional SEN budget (element 2) for a school year, against which provision is committed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="sen_budgets")
    year_start = models.DateField("school year starting")
    notional_pence = models.PositiveIntegerField("notional SEN budget, pence")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school", "year_start"], name="one_budget_a_year")]


class PayBand(models.Model):
    """An hourly staff cost the school sets (pay plus on-costs), used to cost staff time."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pay_bands")
    name = models.CharField(max_length=100, help_text="For example, Teaching assistant level 2.")
    hourly_pence = models.PositiveIntegerField("hourly cost, pence")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="pay_band_unique_in_school")]

    def __str__(self) -> str:
        return f"{self.name} (£{self.hourly_pence / 100:,.2f} an hour)"


class Intervention(models.Model):
    """An entry in the school's catalogue of interventions."""

    class Evidence(models.TextChoices):
        STRONG = "strong", "Strong"
        MODERATE = "moderate", "Moderate"
        LIMITED = "limited", "Limited"
        NONE = "none", "None yet"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(max_length=150)
    area = models.CharField("area of need", max_length=50, choices=AREAS)
    evidence = models.CharField(
        "strength of evidence", max_length=10, choices=Evidence.choices, default=Evidence.NONE
    )
    evidence_note = models.CharField("where the evidence comes from", max_length=300, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField("usual sessions a week", null=True, blank=True)
    minutes = models.PositiveSmallIntegerField("usual minutes a session", null=True, blank=True)
    group_size = models.PositiveSmallIntegerField("usual group size", null=True, blank=True)
    measure = models.CharField("how progress is measured", max_length=200, blank=True)

    class Meta:
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="intervention_unique_in_school")
        ]

    def __str__(self) -> str:
        return self.name


class Provision(models.Model):
    """An intervention delivered by named staff to a group (or one pupil) over a period."""

    class Wave(models.IntegerChoices):
        UNIVERSAL = 1, "Wave 1: universal"
        TARGETED = 2, "Wave 2: targeted"
        SPECIALIST = 3, "Wave 3: specialist"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="provisions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="provisions")
    name = models.CharField("group name", max_length=150, help_text="For example, Year 3 reading group A.")
    wave = models.PositiveSmallIntegerField(choices=Wave.choices, default=Wave.TARGETED)
    # Staff with an account who run the group: they see and take the register for every pupil in it (provision.reach).
    run_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="provisions_run", verbose_name="run by"
    )
    staff = models.CharField("delivered by", max_length=200, blank=True)
    pay_band = models.ForeignKey(PayBand, on_delete=models.PROTECT, related_name="provisions")
    # Notes only: the days, start time and minutes below are the timetable (the form refuses notes that give days,
    # times or lengths, so the two cannot disagree). The column keeps its old name, "when", for what relies on it.
    when = models.CharField(
        "notes about timing",
        max_length=200,
        blank=True,
        help_text="Anything the days, start time and minutes do not say, for example the room or which week.",
    )
    # The timetable: weekdays as digits (0 Monday to 4 Friday) and the start time.
    days = models.CharField("days", max_length=9, blank=True)
    starts_at = models.TimeField("start time", null=True, blank=True)
    starts_on = models.DateField("start")
    ends_on = models.DateField("end")
    # Worked out from the days (one session a day ticked) by provision.services. A provision recorded before days were
    # asked for keeps the figure it was given, so its costs stay as they were until its days are ticked.
    sessions_per_week = models.PositiveSmallIntegerField("sessions a week")
    minutes = models.PositiveSmallIntegerField("minutes a session")
    other_costs_pence = models.PositiveIntegerField("other costs, pence", default=0)
    pupils = models.ManyToManyField(Pupil, through="Enrolment", related_name="provisions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["intervention__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="provision_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def delivered_by(self) -> str:
        """Who delivers it: the staff named as running it, then anyone written in without an account."""
        names = [u.get_full_name() or u.email for u in self.run_by.all()]
        return ", ".join(names + ([self.staff] if self.staff else []))

    @property
    def day_names(self) -> list[str]:
        return [WEEKDAYS[int(d)] for d in self.days]

    @property
    def days_text(self) -> str:
        """The days it meets, as a person says them: "Monday, Wednesday and Friday"."""
        names = self.day_names
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)

    @staticmethod
    def meeting_on(day) -> models.Q:
        """Groups running on `day` that meet that weekday. A group with no days recorded is counted as meeting every
        day it runs: sencohub cannot tell its days, and hiding its register would be worse than showing it."""
        return models.Q(starts_on__lte=day, ends_on__gte=day) & (
            models.Q(days="") | models.Q(days__contains=str(day.weekday()))
        )


MEASURE_KINDS = [
    ("standardised", "Standardised score"),
    ("reading_age", "Reading age (months)"),
    ("spelling_age", "Spelling age (months)"),
    ("scaled", "Scaled score"),
    ("school", "School-defined scale"),
]
AGE_MEASURES = {"reading_age", "spelling_age"}


class EnrolmentQuerySet(models.QuerySet):
    def current(self):
        """Pupils still in the group: enrolments that have not been ended."""
        return self.filter(left_on__isnull=True)


class Enrolment(PupilAudited, models.Model):
    """A pupil in a provision, with the measures taken on the way in and on the way out.

    Taking a pupil out of a group ends their enrolment on a date (`left_on`, their last day in it); the row stays, so
    their attendance, measures and share of past costs stay in their history. Back in the group later, they start a
    new enrolment (a pupil has at most one open enrolment in a provision).
    """

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="enrolments")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    measure = models.CharField("measure", max_length=20, choices=MEASURE_KINDS, blank=True)
    entry_value = models.DecimalField("on entry", max_digits=6, decimal_places=1, null=True, blank=True)
    entry_on = models.DateField("measured on entry", null=True, blank=True)
    exit_value = models.DecimalField("on exit", max_digits=6, decimal_places=1, null=True, blank=True)
    exit_on = models.DateField("measured on exit", null=True, blank=True)
    # Blank joined_on: from the provision's start. Costs count an enrolment only from joined_on to left_on.
    joined_on = models.DateField("joined the group on", null=True, blank=True)
    left_on = models.DateField("left the group on", null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "pupil"],
                condition=models.Q(left_on__isnull=True),
                name="one_open_enrolment_per_pupil",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="enrolment_leaves_after_joining",
            ),
        ]

    @property
    def first_day(self):
        return self.joined_on or self.provision.starts_on

    @property
    def last_day(self):
        return self.left_on or self.provision.ends_on


class Session(models.Model):
    """One session of a provision as it happened (or did not), with who was there."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("date")
    cancelled = models.BooleanField("the session did not happen", default=False)
    note = models.CharField("note", max_length=300, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["provision", "held_on"], name="one_session_a_day")]


class Attendance(PupilAudited, models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="session_attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "pupil"], name="one_mark_per_pupil")]


for model in (Provision, Enrolment, Session, Attendance):
    auditlog.register(model)
