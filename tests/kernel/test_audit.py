"""The audit trail: reads on every channel, changes made without signals, access records, and a restored dump.

The walk in tests/test_authorisation.py checks every page and CSV download the personas open; these tests try the
channels it cannot reach (API tokens, Excel files, print bundles) and the changes nobody saw being logged.
"""

import datetime as dt
import io
import json
import re

import openpyxl
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.files.temp import NamedTemporaryFile
from django.core.management import call_command

from sencohub.accounts.services import api_token_create, api_token_revoke
from sencohub.ehcp.calendar import feed_create, feed_revoke
from sencohub.kernel import audit
from sencohub.pupils.models import Pupil
from sencohub.register.models import SenStatus
from sencohub.schools.models import Membership, Role
from sencohub.support.models import Outcome, PrintJob, SupportPlan
from sencohub.support.services import review_record, support_plan_save
from tests.factories import UserFactory
from tests.reauth import sign_in_confirmed


def reads_of(pupil, user) -> list[dict]:
    found = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=user, additional_data__pupil_id=pupil.pk
    )
    return [e.additional_data for e in found]


def signed_in(client, user):
    sign_in_confirmed(client, user)  # the factories' people have an authenticator; exports ask for a recent sign-in
    return client


def test_api_lists_excel_files_and_print_bundles_record_each_pupil_read_by_the_person(
    client, world, settings, tmp_path
):
    senco = world.people["senco"]
    ours = [world.pupil_support, world.pupil_ehc, world.pupil_none]
    token = api_token_create(user=senco, name="script")[1]
    response = client.get(f"/api/v1/schools/{world.school.urn}/pupils", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and world.pupil_none.upn in response.content.decode()
    for pupil in ours:  # the token's owner, not nobody: the token is read after auditlog's middleware ran
        assert [r["via"] for r in reads_of(pupil, senco)] == [
            f"API /api/v1/schools/{world.school.urn}/pupils"
        ]

    signed_in(client, senco)
    response = client.get(f"/schools/{world.school.urn}/register/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    shown = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert world.pupil_support.upn in shown
    for pupil in (world.pupil_support, world.pupil_ehc):
        assert "register export" in [r["via"] for r in reads_of(pupil, senco)]

    SupportPlan.objects.create(pupil=world.pupil_support, school=world.school, starts_on=dt.date(2026, 9, 7),
                               review_on=dt.date(2026, 12, 18))  # fmt: skip
    response = client.post(f"/schools/{world.school.urn}/print/", {"what": "plans", "fmt": "docx"})
    job = PrintJob.objects.get(requested_by=senco)
    assert job.status == PrintJob.Status.DONE, job.message
    LogEntry.objects.filter(action=LogEntry.Action.ACCESS).delete()
    response = client.get(f"/schools/{world.school.urn}/print/{job.pk}/download/")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert [r["via"] for r in reads_of(world.pupil_support, senco)] == ["print download"]
    assert reads_of(world.pupil_none, senco) == []  # no plan, not in the file


def test_a_page_of_many_pupils_writes_its_reads_in_one_statement(
    client, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PupilFactory, put_on_register

    for n in range(40):
        put_on_register(PupilFactory(school=world.school, surname=f"Many{n}"), "K", "SLCN")
    signed_in(client, world.people["senco"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/schools/{world.school.urn}/register/").status_code == 200
    inserts = [
        q["sql"] for q in queries.captured_queries if "auditlog_logentry" in q["sql"] and "INSERT" in q["sql"]
    ]
    assert len(inserts) == 1
    assert (
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__via="register").count() == 42
    )


def test_support_plan_edits_and_reviews_leave_entries_naming_the_person(world):
    senco = world.people["senco"]
    plan = SupportPlan.objects.create(pupil=world.pupil_support, school=world.school, starts_on=dt.date(2026, 9, 7),
                                      review_on=dt.date(2026, 12, 18))  # fmt: skip
    outcome = Outcome.objects.create(plan=plan, what="Reads 40 words a minute")
    plan.assessment = "Finds decoding hard."
    support_plan_save(plan=plan, expected_version=plan.version, by=senco)
    edit = LogEntry.objects.get(
        action=LogEntry.Action.UPDATE, object_id=plan.pk, content_type__model="supportplan"
    )
    assert edit.actor == senco and edit.changes_dict["assessment"] == ["", "Finds decoding hard."]
    assert (
        edit.additional_data["pupil_id"] == world.pupil_support.pk
    )  # so it shows on the pupil's History tab
    support_plan_save(plan=plan, expected_version=plan.version, by=senco)  # saved unchanged: nothing to log
    assert (
        LogEntry.objects.filter(action=LogEntry.Action.UPDATE, content_type__model="supportplan").count() == 1
    )

    review_record(plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 12, 1),
                  results={outcome.pk: ("achieved", "")}, pupil_voice="I like the group.", parent_voice="",
                  decision=SupportPlan.Decision.CONTINUE, by=senco, today=dt.date(2026, 12, 2))  # fmt: skip
    review = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, object_id=plan.pk, content_type__model="supportplan"
    )
    review = review.order_by("-pk").first()
    assert review.actor == senco
    assert review.changes_dict["status"] == ["current", "reviewed"]
    assert review.changes_dict["pupil_voice"] == ["", "I like the group."]


def test_memberships_tokens_and_feeds_are_audited_without_their_secrets(world):
    senco = world.people["senco"]
    newcomer = UserFactory(email="newcomer@alder.test")
    membership = Membership.objects.create(user=newcomer, role=Role.TEACHER, school=world.school)
    membership.class_groups.add(world.class_3a)
    entries = LogEntry.objects.filter(content_type__model="membership", object_id=membership.pk)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any("class_groups" in (e.changes_dict or {}) for e in entries), (
        "the classes a teacher teaches are audited"
    )
    membership.delete()
    assert entries.filter(action=LogEntry.Action.DELETE).exists()

    token, secret = api_token_create(user=senco, name="script")
    assert api_token_revoke(user=senco, token_id=token.pk)
    feed, feed_secret = feed_create(user=senco)
    assert feed_revoke(user=senco, feed_id=feed.pk)
    for model, record in (("apitoken", token), ("calendarfeed", feed)):
        entries = LogEntry.objects.filter(content_type__model=model, object_id=record.pk)
        assert set(entries.values_list("action", flat=True)) == {
            LogEntry.Action.CREATE,
            LogEntry.Action.UPDATE,
        }
        assert "revoked_at" in entries.get(action=LogEntry.Action.UPDATE).changes_dict
        text = json.dumps([e.changes for e in entries]) + "".join(e.object_repr for e in entries)
        assert record.digest not in text and "digest" not in text
    assert secret not in text and feed_secret not in text


def test_restoring_a_dump_writes_no_audit_entries_of_its_own(transactional_db, world):
    pupil = Pupil.objects.first()
    pupil.forename = "Renamed"
    pupil.save()  # an entry of the trail the dump carries
    # A teacher's classes are many-to-many rows, set after the raw save: they must not be logged either.
    assert Membership.objects.filter(class_groups__isnull=False).exists()
    dump = io.StringIO()
    call_command("dumpdata", natural_foreign=True, natural_primary=True, exclude=["contenttypes", "auth.permission"],
                 stdout=dump)  # fmt: skip
    dumped = LogEntry.objects.count()
    assert dumped > 0
    call_command("flush", interactive=False, verbosity=0)
    with NamedTemporaryFile(suffix=".json", mode="w") as handle:
        handle.write(dump.getvalue())
        handle.flush()
        call_command("loaddata", handle.name, verbosity=0)
    assert (
        LogEntry.objects.count() == dumped
    )  # today: thousands more, actorless "create" entries of every row


def test_the_history_tab_reads_well_after_a_thousand_views(client, world, django_assert_max_num_queries):
    pupil, senco, teacher = world.pupil_support, world.people["senco"], world.people["teacher"]
    views = [
        audit.entry(pupil, LogEntry.Action.ACCESS, actor=senco, via="register", pupil_id=pupil.pk)
    ] * 1000
    views += [
        audit.entry(pupil, LogEntry.Action.ACCESS, actor=teacher, via="register", pupil_id=pupil.pk)
    ] * 3
    audit.log_bulk(views)
    signed_in(client, senco)
    with django_assert_max_num_queries(30):
        page = client.get(f"/schools/{world.school.urn}/pupils/{pupil.upn}/history/").content.decode()
    assert "Added" in page and "Changed" in page  # the changes are not pushed off the page by the views
    assert ">1000<" in page and ">3<" in page  # one row a person a day, with the count
    assert page.count('class="govuk-table__row"') < 40
    # The changes read in words: the record's and each field's names, not the database's.
    details = re.findall(r'<td class="govuk-table__cell govuk-body-s">(.*?)</td>', page, re.S)
    assert details and not any(re.search(r"\b[a-z]+_[a-z_]+\b", cell) for cell in details), details
    assert not re.search(r"(Added|Changed) [a-z]+plan\b", page)


def test_a_calendar_feed_opened_by_its_secret_records_its_owner_reading_each_pupil(client, world):
    from sencohub.ehcp.models import AnnualReview, EhcPlan

    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    AnnualReview.objects.create(
        plan=plan, pupil=plan.pupil, meeting_on=dt.date.today() + dt.timedelta(days=20)
    )
    senco = world.people["senco"]
    _, secret = feed_create(user=senco)
    assert client.get(f"/calendar/feed/{secret}.ics").status_code == 200  # a calendar app: nobody signed in
    assert [r["via"] for r in reads_of(world.pupil_ehc, senco)] == ["calendar feed"]
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor__isnull=True).exists()


def test_a_row_made_in_bulk_gets_a_create_entry_with_its_values_and_its_pupil(world):
    senco = world.people["senco"]
    status = SenStatus.objects.filter(pupil=world.pupil_ehc).first()
    made = audit.created(status, ["pupil", "provision", "end_date"], actor=senco)
    assert made.action == LogEntry.Action.CREATE and made.actor == senco and made.actor_email == senco.email
    assert made.object_id == status.pk and made.object_repr == str(status)
    assert made.changes == {
        "pupil": ["None", str(world.pupil_ehc.pk)],
        "provision": ["None", status.provision],
        "end_date": ["None", "None"],
    }
    assert made.additional_data == {"pupil_id": world.pupil_ehc.pk}
    audit.log_bulk([made])
    assert LogEntry.objects.filter(additional_data__pupil_id=world.pupil_ehc.pk, object_id=status.pk).exists()


def test_a_bulk_row_of_no_one_pupil_carries_none_unless_one_is_named(world):
    membership = Membership.objects.filter(school=world.school).first()
    assert audit.created(membership, ["role"]).additional_data is None
    named = audit.created(membership, ["role"], pupil_id=world.pupil_ehc.pk)
    assert named.additional_data == {"pupil_id": world.pupil_ehc.pk} and named.actor is None


def test_entries_for_a_bulk_write_are_not_even_made_inside_disable_auditlog(world):
    def entries():
        raise AssertionError("an entry was made while auditing was off")
        yield

    with disable_auditlog():
        audit.log_bulk(entries())
