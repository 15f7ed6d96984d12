from auditlog.registry import auditlog
from django.conf import settings
from django.db import models

from sencohub.kernel.audit import PupilAudited, ReadAudited
from sencohub.schools.models import ClassGroup, School
from sencohub.statutory import census

YEAR_GROUPS = ["N1", "N2", "R"] + [str(n) for n in range(1, 15)]


def year_group_label(code: str) -> str:
    if code in ("N1", "N2"):
        return f"Nursery ({code})"
    if code == "R":
        return "Reception"
    return f"Year {code}" if code else ""


def year_group_sort_key(code: str) -> int:
    return YEAR_GROUPS.index(code) if code in YEAR_GROUPS else len(YEAR_GROUPS)


class Pupil(ReadAudited, models.Model):
    """A child on roll (or who was). Every row loaded for a person's request is audited as read (kernel.audit)."""

    class Gender(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        NOT_RECORDED = "", "Not recorded"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField("UPN", max_length=13)
    surname = models.CharField(max_length=100)
    forename = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True, default="")
    year_group = models.CharField(max_length=3, blank=True, default="")
    class_group = models.ForeignKey(
        ClassGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils"
    )
    eal = models.BooleanField("English as an additional language", default=False)
    fsm = models.BooleanField("free school meals", default=False)
    pupil_premium = models.BooleanField(default=False)
    looked_after = models.BooleanField(default=False)
    # The current census SEN provision. Written only by register.services.sen_status_change, which keeps
    # the dated history (register.SenStatus) in step in the same transaction.
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=list(census.PROVISIONS.items()), default=census.NO_SEN
    )
    # The school census SEN unit and resourced provision indicators; only in a school that has one (School.has_sen_unit,
    # School.has_resourced_provision). Written only by register.services.census_indicators_set.
    in_sen_unit = models.BooleanField("member of the school's SEN unit", default=False)
    in_resourced_provision = models.BooleanField("member of the school's resourced provision", default=False)
    # Set when the pupil leaves the school (recorded by an import): off roll, off the register pages and the
    # census, but their record and SEN history are kept and the SENCo can still open them.
    left_on = models.DateField("date the pupil left", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["surname", "forename"]
        constraints = [models.UniqueConstraint(fields=["school", "upn"], name="pupil_upn_unique_in_school")]
        indexes = [
            models.Index(fields=["school", "sen_provision"]),
            models.Index(fields=["school", "year_group"]),
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def year_group_label(self) -> str:
        return year_group_label(self.year_group)

    def get_additional_data(self):
        return {"pupil_id": self.pk, "school_id": self.school_id}


class ParentCarer(PupilAudited, models.Model):
    """Someone with parental responsibility. `user` is set once they have an account to sign in with."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="parent_carers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    def __str__(self) -> str:
        return self.name


auditlog.register(Pupil)
auditlog.register(ParentCarer)


class PupilImport(models.Model):
    """A file uploaded in the browser: checked and imported by background tasks, with their progress."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked, waiting for confirmation"
        REJECTED = "rejected", "Rejected: nothing changed"
        APPLYING = "applying", "Being imported"
        APPLIED = "applied", "Imported"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed: nothing changed"
        INTERRUPTED = "interrupted", "Stopped: the background worker stopped, nothing changed"

    IN_PROGRESS = (Status.CHECKING, Status.APPLYING)

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    result = models.JSONField(default=dict)
    # Written by the background task as it goes; read by the page that shows progress.
    progress_stage = models.CharField(max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    # The queue's id of the task working on the file now (the check, then the import).
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def percent(self) -> int:
        return round(100 * self.progress_done / self.progress_total) if self.progress_total else 0
