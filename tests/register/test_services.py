import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sencohub.register import services
from sencohub.register.models import Concern, SenStatus
from sencohub.statutory import census
from tests.factories import PupilFactory

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def pupil(db):
    return PupilFactory()


def test_starting_sen_support_opens_a_status_and_sets_needs(pupil):
    services.sen_status_change(pupil=pupil, provision="K", start_date=dt.date(2026, 10, 1), reason="Assessed",
                               primary_need="SPLD", today=TODAY)  # fmt: skip
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"
    assert [n.sen_type for n in pupil.needs.all()] == ["SPLD"]


def test_moving_to_an_ehc_plan_closes_sen_support_on_the_same_day(pupil):
    services.sen_status_change(pupil=pupil, provision="K", start_date=dt.date(2026, 1, 5), reason="a", primary_need="MLD", today=TODAY)
    services.sen_status_change(pupil=pupil, provision="E", start_date=dt.date(2026, 9, 1), reason="b", primary_need="MLD", today=TODAY)
    rows = list(SenStatus.objects.filter(pupil=pupil).order_by("start_date").values_list("provision", "end_date"))
    assert rows == [("K", dt.date(2026, 9, 1)), ("E", None)]


def test_ending_sen_removes_needs(pupil):
    services.sen_status_change(pupil=pupil, provision="K", start_date=dt.date(2026, 1, 5), reason="a", primary_need="MLD", today=TODAY)
    services.sen_status_change(pupil=pupil, provision="N", start_date=dt.date(2026, 7, 1), reason="Needs met", today=TODAY)
    assert not pupil.needs.exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"provision": "N", "reason": "x"}, "provision"),  # already N
        ({"provision": "K", "reason": " ", "primary_need": "MLD"}, "reason"),
        ({"provision": "K", "reason": "x"}, "primary_need"),
        ({"provision": "E", "reason": "x", "primary_need": "NSA"}, "primary_need"),
    ],
)
def test_bad_changes_are_refused_with_the_field_named(pupil, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.sen_status_change(pupil=pupil, start_date=dt.date(2026, 10, 1), today=TODAY, **kwargs)
    assert field in error.value.message_dict
    assert not SenStatus.objects.exists()


def test_a_start_date_in_the_future_is_refused(pupil):
    with pytest.raises(ValidationError):
        services.sen_status_change(pupil=pupil, provision="K", start_date=TODAY + dt.timedelta(days=1), reason="x",
                                   primary_need="MLD", today=TODAY)  # fmt: skip


def test_triage_to_assess_puts_the_pupil_on_sen_support(pupil):
    concern = services.concern_raise(pupil=pupil, by=None, what_seen="Finds reading hard")
    services.concern_triage(concern=concern, decision="assess", note="Start support", by=None, primary_need="SPLD", today=TODAY)
    pupil.refresh_from_db()
    assert pupil.sen_provision == census.SEN_SUPPORT
    assert Concern.objects.get().status == Concern.Status.ASSESS


def test_triage_to_assess_needs_a_primary_need(pupil):
    concern = services.concern_raise(pupil=pupil, by=None, what_seen="Finds reading hard")
    with pytest.raises(ValidationError) as error:
        services.concern_triage(concern=concern, decision="assess", note="", by=None, today=TODAY)
    assert "primary_need" in error.value.message_dict
    assert Concern.objects.get().status == Concern.Status.OPEN


def test_a_decided_concern_cannot_be_triaged_again(pupil):
    concern = services.concern_raise(pupil=pupil, by=None, what_seen="x")
    services.concern_triage(concern=concern, decision="no_further_action", note="", by=None, today=TODAY)
    with pytest.raises(ValidationError):
        services.concern_triage(concern=concern, decision="monitor", note="", by=None, today=TODAY)
