"""Onboarding writes: schools, trusts and the people who work in them."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from sencohub.schools.models import (
    ClassGroup,
    LocalAuthority,
    Membership,
    Role,
    School,
    Trust,
    la_code_validator,
    urn_validator,
)

MESSAGE_SCHOOL_EXISTS = "A school with URN {urn} already exists ({name})."
MESSAGE_UNKNOWN_SCHOOL = "There is no school with URN {urn}; add it first with `sencohub add-school`."
MESSAGE_UNKNOWN_ROLE = "{role!r} is not a role; use one of: {roles}."
MESSAGE_NO_TRUST = "School {urn} is not in a trust, so a trust SEND lead cannot be added through it."
MESSAGE_NO_LA = "School {urn} has no LA code, so a local-authority officer cannot be added through it."
MESSAGE_CLASSES_ONLY_FOR_CLASS_ROLES = "Only teachers and teaching assistants are linked to classes."
MESSAGE_ALREADY_MEMBER = "{email} already has the role {role} there."


@transaction.atomic
def school_create(
    *,
    urn: str,
    name: str,
    phase: str = School.Phase.PRIMARY,
    la_code: str | None = None,
    trust: str | None = None,
    la_name: str | None = None,
    shares_with_local_authority: bool = False,
    is_demo: bool = False,
) -> School:
    urn = (urn or "").strip()
    name = " ".join((name or "").split())
    urn_validator(urn)
    if not name:
        raise ValidationError("Give the school's name.")
    if phase not in School.Phase.values:
        raise ValidationError(f"Phase must be one of {', '.join(School.Phase.values)}.")
    existing = School.objects.filter(urn=urn).first()
    if existing:
        raise ValidationError(MESSAGE_SCHOOL_EXISTS.format(urn=urn, name=existing.name))
    local_authority = None
    if la_code:
        la_code_validator(la_code)
        local_authority, _ = LocalAuthority.objects.get_or_create(
            code=la_code, defaults={"name": la_name or f"Local authority {la_code}"}
        )
    trust_obj = (
        Trust.objects.get_or_create(name=" ".join(trust.split()))[0] if trust and trust.strip() else None
    )
    return School.objects.create(
        urn=urn,
        name=name,
        phase=phase,
        local_authority=local_authority,
        trust=trust_obj,
        shares_with_local_authority=shares_with_local_authority,
        is_demo=is_demo,
    )


@transaction.atomic
def user_add(
    *,
    email: str,
    school_urn: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    is_demo: bool = False,
    classes: list[str] | None = None,
    one_time_password: bool = False,
):
    """Create (or find) a person and give them a role in a school, or in its trust or local authority.

    With `one_time_password`, a new person must change `password` at their first sign-in.
    """
    email = (email or "").strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError(MESSAGE_UNKNOWN_ROLE.format(role=role, roles=", ".join(Role.values)))
    school = School.objects.filter(urn=school_urn).select_related("trust", "local_authority").first()
    if school is None:
        raise ValidationError(MESSAGE_UNKNOWN_SCHOOL.format(urn=school_urn))
    scope: dict = {"school": school}
    if role == Role.TRUST_SEND_LEAD:
        if school.trust is None:
            raise ValidationError(MESSAGE_NO_TRUST.format(urn=school.urn))
        scope = {"trust": school.trust}
    elif role == Role.LA_OFFICER:
        if school.local_authority is None:
            raise ValidationError(MESSAGE_NO_LA.format(urn=school.urn))
        scope = {"local_authority": school.local_authority}
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            is_demo=is_demo,
            must_change_password=one_time_password and password is not None,
        )
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if Membership.objects.filter(user=user, role=role, **scope).exists():
        raise ValidationError(MESSAGE_ALREADY_MEMBER.format(email=email, role=Role(role).label))
    membership = Membership.objects.create(user=user, role=role, **scope)
    names = [" ".join(c.split()) for c in (classes or []) if c.strip()]
    if names:
        if role not in (Role.TEACHER, Role.TEACHING_ASSISTANT):
            raise ValidationError(MESSAGE_CLASSES_ONLY_FOR_CLASS_ROLES)
        groups = [ClassGroup.objects.get_or_create(school=school, name=name)[0] for name in names]
        membership.class_groups.add(*groups)
    return user, membership
