"""Factories that keep a pupil, their records and their school together. Generated people only."""

import datetime as dt
import itertools

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from sencohub.accounts.models import User
from sencohub.pupils.models import Pupil
from sencohub.register.services import sen_status_change
from sencohub.schools.models import ClassGroup, LocalAuthority, Membership, School, Trust
from sencohub.statutory import census
from sencohub.statutory import upn as upn_rules

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_serial = itertools.count(1)


def make_upn(la: int = 801, establishment: int = 2001) -> str:
    n = next(_serial)
    return upn_rules.make(la, establishment, 10 + n // 1000, n % 1000)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = "801"
    name = "Bristol, City of"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Test Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{100000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test School {n}")
    phase = School.Phase.PRIMARY
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    trust = factory.SubFactory(TrustFactory)
    shares_with_local_authority = True


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"C{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def with_totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Authenticator.objects.create(user=obj, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "senco"
    school = factory.SubFactory(SchoolFactory)


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    upn = factory.LazyFunction(make_upn)
    surname = factory.Sequence(lambda n: f"Surname{n}")
    forename = factory.Sequence(lambda n: f"Forename{n}")
    date_of_birth = dt.date(2017, 5, 4)
    year_group = "3"
    sen_provision = "N"


def put_on_register(pupil: Pupil, provision: str, primary: str, secondary: str | None = None, start=dt.date(2025, 9, 8)):
    """Through the register's service, the only writer of SEN status (need codes as the census spells them)."""
    sen_status_change(
        pupil=pupil, provision=provision, start_date=start, reason="Set up for a test.",
        primary_need=_census_code(primary), secondary_need=_census_code(secondary),
    )  # fmt: skip
    pupil.refresh_from_db()
    return pupil


def _census_code(code: str | None) -> str | None:
    return {known.upper(): known for known in census.SEN_TYPES}.get(code.upper(), code) if code else code
