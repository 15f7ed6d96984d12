"""SENCo appointments and their qualifications (STATUTORY.md section 6)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from sencohub.schools.models import School


class Appointment(models.Model):
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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.CharField(max_length=10, choices=Post.choices, default=Post.SENCO)
    starts_on = models.DateField("appointed on")
    ends_on = models.DateField("left the role on", null=True, blank=True)
    leaving_reason = models.CharField("why they left the role", max_length=20, choices=Leaving.choices, blank=True)
    qts = models.BooleanField("holds qualified teacher status", default=True)
    previous_senco_months = models.PositiveSmallIntegerField("months as a SENCo before this appointment", default=0)
    fte = models.DecimalField("full-time equivalent", max_digits=3, decimal_places=2, default=1)
    hours_per_week = models.DecimalField("hours a week for the role", max_digits=4, decimal_places=1, null=True, blank=True)
    protected_hours = models.DecimalField("protected hours a week", max_digits=4, decimal_places=1, null=True, blank=True)
    on_slt = models.BooleanField("on the senior leadership team", default=False)
    admin_hours = models.DecimalField("administrative support, hours a week", max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_post_display()} at {self.school}"

    @property
    def is_current(self) -> bool:
        return self.ends_on is None


class Qualification(models.Model):
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

    class Meta:
        ordering = ["started_on", "id"]


for model in (Appointment, Qualification):
    auditlog.register(model)
