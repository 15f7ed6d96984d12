"""SENCo appointments and their qualifications (STATUTORY.md section 6)."""

import datetime as dt

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sencohub.kernel.versions import Versioned
from sencohub.schools.models import School
from sencohub.statutory import census


def _certificate_path(instance, filename):
    return f"certificates/{instance.appointment.school_id}/{instance.appointment_id}/{filename}"


class Appointment(Versioned):
    """Someone appointed as SENCo (or deputy or assistant SENCo) at a school, from a date and perhaps to one."""

    class Post(models.TextChoices):
        SENCO = "senco", "SENCo"
        DEPUTY = "deputy", "Deputy SENCo"
        ASSISTANT = "assistant", "Assistant SENCo"

    class Leaving(models.TextChoices):
        PROMOTION = "promotion", "Promotion"
        OTHER_ROLE = "other_role", "Another role in the school"
        LEFT_TEACHING = "left_teaching", "Left teaching"
        RETIRED = "retired", "Retired"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="senco_appointments")
    name = models.CharField("name", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.CharField(max_length=10, choices=Post.choices, default=Post.SENCO)
    starts_on = models.DateField("appointed on")
    ends_on = models.DateField("left the role on", null=True, blank=True)
    leaving_reason = models.CharField(
        "why they left the role", max_length=20, choices=Leaving.choices, blank=True
    )
    # A SENCo must be a qualified teacher, or the headteacher (CFA s.67, Regs 49): QTS is what someone records,
    # never assumed, so a SENCo with neither recorded is shown as such.
    qts = models.BooleanField("holds qualified teacher status (QTS)", default=False)
    is_head = models.BooleanField("is the headteacher", default=False)
    previous_senco_months = models.PositiveSmallIntegerField(
        "months as a SENCo before this appointment", default=0
    )
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=1)
    hours_per_week = models.DecimalField(
        "hours a week for the role", max_digits=4, decimal_places=1, null=True, blank=True
    )
    protected_hours = models.DecimalField(
        "protected hours a week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    on_slt = models.BooleanField("on the senior leadership team", default=False)
    admin_hours = models.DecimalField(
        "administrative support, hours a week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    # The headteacher's word that they are satisfied the SENCo is working towards the qualification.
    head_confirmed_on = models.DateField(null=True, blank=True)
    head_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    head_confirmation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_post_display()} at {self.school}"

    @property
    def starts_later(self) -> bool:
        """Appointed from a date still ahead: shown as "starts on ...", with no time in post yet."""
        return self.starts_on > timezone.localdate()

    @property
    def is_current(self) -> bool:
        """In post today: not yet left (someone who has given notice is in post until their last day)."""
        return self.ends_on is None or self.ends_on > timezone.localdate()

    @classmethod
    def in_post(cls, today: dt.date) -> Q:
        """The same test as `is_current`, as a query."""
        return Q(ends_on__isnull=True) | Q(ends_on__gt=today)


class Qualification(Versioned):
    class Kind(models.TextChoices):
        NPQ = "npq", "NPQ for SENCOs"
        NASENCO = "nasenco", "NASENCo award"
        OTHER = "other", "Other SEND qualification"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField("name (for other qualifications)", max_length=200, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    started_on = models.DateField("course started")
    expected_on = models.DateField("expected to complete", null=True, blank=True)
    completed_on = models.DateField("completed", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    certificate = models.FileField(upload_to=_certificate_path, blank=True)

    class Meta:
        ordering = ["started_on", "id"]


class QualificationWarning(models.Model):
    """A warning sent about a SENCo's qualification (six months ahead, or overdue): each at most once."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="warnings")
    state = models.CharField(max_length=30)
    complete_by = models.DateField()
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "state", "complete_by"], name="one_warning_per_state"
            )
        ]


# The weekly time log's categories: (field, label, short label for charts).
TIME_CATEGORIES = [
    ("strategic", "Strategic leadership", "Strategic"),
    ("teachers", "Supporting teachers", "Teachers"),
    ("pupils", "Direct work with pupils", "Pupils"),
    ("casework", "Casework and meetings", "Casework"),
    ("administration", "Administration", "Admin"),
    ("ehc_paperwork", "EHC paperwork", "EHC paperwork"),
    ("training_others", "Training others", "Training others"),
    ("own_development", "Own development", "Own development"),
]


def _hours(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1, default=0)


class WeekLog(models.Model):
    """Where a SENCo's time went in one week (Monday to Sunday), in hours by category."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="weeks")
    week_of = models.DateField("week beginning (Monday)")
    strategic = _hours("Strategic leadership")
    teachers = _hours("Supporting teachers")
    pupils = _hours("Direct work with pupils")
    casework = _hours("Casework and meetings")
    administration = _hours("Administration")
    ehc_paperwork = _hours("EHC paperwork")
    training_others = _hours("Training others")
    own_development = _hours("Own development")
    protected_used = _hours("of which in protected time")
    note = models.CharField("anything unusual this week", max_length=300, blank=True)

    class Meta:
        ordering = ["week_of"]
        constraints = [models.UniqueConstraint(fields=["appointment", "week_of"], name="one_log_per_week")]

    @property
    def total(self):
        return sum(getattr(self, field) for field, _, _ in TIME_CATEGORIES)

    @property
    def paperwork(self):
        return self.administration + self.ehc_paperwork


class TrainingSession(Versioned):
    """SEND training: a session the SENCo runs, or a course staff went on."""

    AREAS = [(area, area[0].upper() + area[1:]) for area in census.AREAS_OF_NEED if area != census.OTHER] + [
        ("general", "SEND in general")
    ]

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="training_sessions")
    topic = models.CharField(max_length=200)
    area_of_need = models.CharField("area of need", max_length=40, choices=AREAS, default="general")
    held_on = models.DateField("date")
    minutes = models.PositiveSmallIntegerField("length in minutes", default=60)
    led_by = models.CharField(
        "led by", max_length=200, blank=True, help_text="Leave blank if the SENCo led it."
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TrainingAttendance", related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d %b %Y})"

    @property
    def rated_count(self) -> int:
        """Attendees who rated their confidence both before and after (attendance prefetched)."""
        return sum(1 for a in self.attendance.all() if a.confidence_before and a.confidence_after)


CONFIDENCE = [
    (1, "1 – not at all confident"),
    (2, "2"),
    (3, "3 – fairly confident"),
    (4, "4"),
    (5, "5 – very confident"),
]


class TrainingAttendance(models.Model):
    """Someone at a training session, with how confident they felt before and after (1 to 5)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="send_training")
    confidence_before = models.PositiveSmallIntegerField(choices=CONFIDENCE, null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(choices=CONFIDENCE, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attends_once")]


for model in (Appointment, Qualification, WeekLog, TrainingSession, TrainingAttendance):
    auditlog.register(model)
