"""The demo can never touch real data: it runs only in development, alone, under codes no real body has."""

import csv
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from sencohub.demo.build import DEMO_LA_CODES, DEMO_URNS, MESSAGE_NOT_DEBUG, build_demo
from sencohub.schools.models import LocalAuthority, Membership, Role, School
from sencohub.statutory.upn import LA_NUMBERS_SINCE_2019
from tests.factories import TOTP_SECRET

REAL_LA_CODES = {
    row["old_la_code"]
    for row in csv.DictReader((Path(__file__).parent.parent / "data" / "la_codes.csv").open())
}


def test_no_demo_la_code_is_a_real_las():
    assert len(REAL_LA_CODES) > 150 and "801" in REAL_LA_CODES  # the DfE's list, with Bristol in it
    assert not DEMO_LA_CODES & REAL_LA_CODES
    assert not {int(code) for code in DEMO_LA_CODES} & LA_NUMBERS_SINCE_2019


def test_a_demo_la_officer_reaches_no_real_pupil(client, world):
    """The demo made beside a real school (as the command would refuse to) still reaches none of its pupils."""
    result = build_demo(schools=2, pupils_per_school=20, seed=5)
    made = School.objects.filter(is_demo=True)
    assert made.count() == 8 and all(int(s.urn) in DEMO_URNS for s in made)
    assert not School.objects.filter(is_demo=True, local_authority__code__in=REAL_LA_CODES).exists()
    demo_las = LocalAuthority.objects.filter(school__is_demo=True).distinct()
    assert {la.code for la in demo_las} <= DEMO_LA_CODES
    officer = Membership.objects.get(role=Role.LA_OFFICER, user__is_demo=True).user
    Authenticator.objects.create(
        user=officer, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)}
    )
    client.force_login(officer)
    assert (
        client.get(f"/schools/{result.schools[0].urn}/register/").status_code == 200
    )  # the demo's own pupils
    for path in (
        f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/",
        f"/schools/{world.school.urn}/register/",
    ):
        assert client.get(path).status_code in (403, 404), path
    # The password is this run's (tests/test_commands.py: a new one each run); the one once published opens nothing.
    assert officer.check_password(result.password) and not officer.check_password("sencohub-demo")


def test_the_demo_command_refuses_without_debug_or_beside_a_real_school(world):
    with override_settings(DEBUG=False), pytest.raises(CommandError) as refused:
        call_command("demo", "--pupils-per-school", "20")
    assert str(refused.value) == MESSAGE_NOT_DEBUG and refused.value.returncode == 1
    with override_settings(DEBUG=True), pytest.raises(CommandError) as refused:
        call_command("demo", "--pupils-per-school", "20")
    assert (
        "holds 2 school(s) that the demo did not make (Alder Primary (100001), Birch Primary (100002))"
        in str(refused.value)
    )
    assert refused.value.returncode == 1
    assert not School.objects.filter(is_demo=True).exists()
