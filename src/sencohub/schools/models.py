from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

urn_validator = RegexValidator(r"^\d{6}$", "A URN is 6 digits (find it on Get Information about Schools).")
la_code_validator = RegexValidator(r"^\d{3}$", "An LA code is 3 digits, for example 801.")


class LocalAuthority(models.Model):
    code = models.CharField(max_length=3, unique=True, validators=[la_code_validator])
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Trust(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all-through", "All-through"
        SPECIAL = "special", "Special"

    urn = models.CharField("URN", max_length=6, unique=True, validators=[urn_validator])
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PRIMARY)
    local_authority = models.ForeignKey(LocalAuthority, null=True, blank=True, on_delete=models.PROTECT)
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools")
    # Local-authority officers see pupils with EHC plans only in schools that choose to share with the LA.
    shares_with_local_authority = models.BooleanField(default=False)
    # School census: an SEN unit or resourced provision the local authority recognises as such (as listed on Get
    # Information About Schools), not provision the school has set up for its own pupils. Pupils are recorded as
    # members of them (Pupil.in_sen_unit, Pupil.in_resourced_provision) only where the school has one.
    has_sen_unit = models.BooleanField("SEN unit recognised by the local authority", default=False)
    has_resourced_provision = models.BooleanField(
        "resourced provision recognised by the local authority", default=False
    )
    # Made by `sencohub demo`, which refuses to run in a database holding any school that is not (demo.build).
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A school's term, for default review dates (a support plan is reviewed at the end of the term)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=50, help_text="For example, Autumn 2026.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ClassGroup(models.Model):
    """A registration or teaching group; teachers and teaching assistants see the pupils of their groups."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="class_groups")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="class_group_unique_in_school")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SENCO = "senco", "SENCo"
    DEPUTY_SENCO = "deputy_senco", "Deputy or assistant SENCo"
    SEND_ADMIN = "send_admin", "SEND administrator"
    HEAD = "head", "Headteacher or senior leader"
    TEACHER = "teacher", "Teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    GOVERNOR = "governor", "Governor"
    TRUST_SEND_LEAD = "trust_send_lead", "Trust SEND lead"
    LA_OFFICER = "la_officer", "Local-authority SEND officer"
    PARENT = "parent", "Parent carer"
    EXTERNAL = "external_professional", "External professional"


# Roles held in a school; the trust lead belongs to a trust, the LA officer to a local authority.
SCHOOL_ROLES = {r for r in Role} - {Role.TRUST_SEND_LEAD, Role.LA_OFFICER}
# Roles of the people who work in a school: they may run a provision group and they take SEND training.
STAFF_ROLES = [
    Role.SENCO,
    Role.DEPUTY_SENCO,
    Role.SEND_ADMIN,
    Role.HEAD,
    Role.TEACHER,
    Role.TEACHING_ASSISTANT,
]


class Membership(models.Model):
    """A person's role in one school, trust or local authority: the only source of what they may see."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    class_groups = models.ManyToManyField(ClassGroup, blank=True, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Exactly one of school, trust and local authority, matching the role.
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role=Role.TRUST_SEND_LEAD,
                        trust__isnull=False,
                        school__isnull=True,
                        local_authority__isnull=True,
                    )
                    | Q(
                        role=Role.LA_OFFICER,
                        local_authority__isnull=False,
                        school__isnull=True,
                        trust__isnull=True,
                    )
                    | (
                        ~Q(role__in=[Role.TRUST_SEND_LEAD, Role.LA_OFFICER])
                        & Q(school__isnull=False, trust__isnull=True, local_authority__isnull=True)
                    )
                ),
            ),
            models.UniqueConstraint(fields=["user", "role", "school"], name="membership_unique_school_role"),
        ]

    def __str__(self) -> str:
        where = self.school or self.trust or self.local_authority
        return f"{self.user} — {self.get_role_display()} — {where}"


# Who was given or lost which role where, and which classes a teacher or assistant teaches.
auditlog.register(Membership, m2m_fields={"class_groups"})
