from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from sencohub.kernel.audit import PupilAudited
from sencohub.kernel.versions import Versioned
from sencohub.pupils.models import Pupil
from sencohub.statutory import census

PROVISION_CHOICES = list(census.PROVISIONS.items())
SEN_TYPE_CHOICES = [(code, f"{code} — {t.name}") for code, t in census.SEN_TYPES.items()]


class SenStatus(PupilAudited, models.Model):
    """One period of a pupil's census SEN provision; the open one (no end date) is current."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_statuses")
    provision = models.CharField(max_length=1, choices=PROVISION_CHOICES)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # CoP 6.43: parents are told when SEN support is made for their child.
    parents_informed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "SEN statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(end_date__isnull=True),
                name="one_current_sen_status_per_pupil",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provision_display()} from {self.start_date:%d/%m/%Y}"


class Need(PupilAudited, models.Model):
    """A ranked census SEN type: rank 1 is the primary need, rank 2 the secondary."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="needs")
    sen_type = models.CharField("type of need", max_length=4, choices=SEN_TYPE_CHOICES)
    rank = models.PositiveSmallIntegerField(choices=[(1, "Primary"), (2, "Secondary")])
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["pupil", "rank"], name="one_need_per_rank")]

    def __str__(self) -> str:
        return f"{self.get_rank_display()}: {self.sen_type}"

    @property
    def area_of_need(self) -> str:
        return census.area_of_need(self.sen_type)


class Concern(PupilAudited, Versioned):
    """A member of staff's concern about a pupil, waiting for (or after) the SENCo's triage."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for triage"
        MONITOR = "monitor", "Monitor"
        ASSESS = "assess", "Assess: SEN support started"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="concerns_raised"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    what_seen = models.TextField("what you have noticed")
    evidence = models.TextField("evidence", blank=True)
    tried = models.TextField("what you have tried already", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns_triaged",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Concern about {self.pupil} raised {self.raised_at:%d/%m/%Y}"


auditlog.register(SenStatus)
auditlog.register(Need)
auditlog.register(Concern)
