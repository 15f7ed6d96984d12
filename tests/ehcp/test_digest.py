"""The daily digest email."""

import datetime as dt
import json

from django.core import mail
from django.core.management import call_command

from sencohub.ehcp.digest import send_digests
from sencohub.ehcp.models import AnnualReview, EhcPlan


def test_those_who_act_get_one_digest_a_day(world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    today = dt.date(2026, 11, 23)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 12, 1))
    sent = send_digests(today)
    emails = {s.email for s in sent}
    # The SENCo, deputy, SEND administrator and the LA officer act on EHC work; heads and teachers do not.
    assert emails == {"senco@alder.test", "deputy_senco@alder.test", "send_admin@alder.test", "officer@bristol.test"}
    message = next(m for m in mail.outbox if m.to == ["senco@alder.test"])
    assert "Invitations sent – B.M., Alder Primary" in message.body and "Marchbanks" not in message.body
    assert "overdue" in message.subject
    assert send_digests(today) == []  # a second run the same day sends nothing more


def test_the_command_reports_as_json(world, capsys):
    call_command("send-digests", "--date", "2026-11-23", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2026-11-23" and data["sent"] == 4
    assert {"email": "officer@bristol.test", "overdue": 1, "due_soon": 0} in data["recipients"]


def test_with_json_standard_output_carries_only_json_even_when_emails_print(world, capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    AnnualReview.objects.create(plan=plan, pupil=plan.pupil, meeting_on=dt.date(2026, 12, 1))
    call_command("send-digests", "--date", "2026-11-23", "--json")
    printed = capsys.readouterr()
    assert json.loads(printed.out)["sent"] == 4
    assert "Subject: sencohub" in printed.err  # the emails themselves went to standard error
