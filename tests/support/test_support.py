"""The graduated approach: plan, do, review, and the next cycle, as SENCos and teachers use it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sencohub.ehcp.models import AssessmentRequest
from sencohub.register.models import SenStatus
from sencohub.schools.models import Term
from sencohub.support import quality
from sencohub.support.models import Evidence, Outcome, Strategy, SupportPlan
from sencohub.support.services import EditConflict, plan_start, review_record, support_plan_save
from tests.reauth import sign_in_confirmed

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def plan(world):
    Term.objects.create(school=world.school, name="Autumn 2026", starts_on=dt.date(2026, 9, 2), ends_on=dt.date(2026, 12, 18))
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 10, 1), today=TODAY)
    Outcome.objects.create(plan=plan, what="Reads 40 words a minute", success_criteria="Timed reading, 3 times", by_when=dt.date(2026, 12, 18))
    Outcome.objects.create(plan=plan, what="Improve confidence", responsible="Class teacher")
    Strategy.objects.create(plan=plan, text="Pre-teach vocabulary", owner="Class teacher")
    return plan


def test_the_review_date_defaults_to_the_end_of_term(plan):
    assert plan.review_on == dt.date(2026, 12, 18) and plan.cycle == 1


def test_only_pupils_on_the_register_get_plans(world):
    with pytest.raises(ValidationError, match="not on SEN support"):
        plan_start(pupil=world.pupil_none, today=TODAY)


def test_continuing_carries_the_open_outcomes_into_the_next_cycle(plan):
    achieved, open_ = plan.outcomes.all()
    done = review_record(
        plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 11, 20),
        results={achieved.pk: ("achieved", "42 wpm"), open_.pk: ("partly", "Answers in pairs")},
        pupil_voice="Reading is easier", parent_voice="Happier", decision="continue", today=TODAY,
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.status == "reviewed" and plan.decision == "continue"
    nxt = done.next_plan
    assert nxt.cycle == 2 and nxt.previous == plan and nxt.starts_on == dt.date(2026, 11, 20)
    assert [o.what for o in nxt.outcomes.all()] == ["Improve confidence"]
    assert nxt.outcomes.get().carried_from == open_
    assert [s.text for s in nxt.strategies.all()] == ["Pre-teach vocabulary"]


def test_ending_sen_support_goes_on_the_register(plan, world):
    review_record(plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 11, 20),
                  results={o.pk: ("achieved", "") for o in plan.outcomes.all()}, pupil_voice="", parent_voice="",
                  decision="end", today=TODAY)  # fmt: skip
    world.pupil_support.refresh_from_db()
    assert world.pupil_support.sen_provision == "N"
    current = SenStatus.objects.get(pupil=world.pupil_support, end_date__isnull=True)
    assert current.provision == "N" and "support plan 1" in current.reason


def test_requesting_an_ehc_assessment_starts_the_request_with_what_was_tried(world):
    AssessmentRequest.objects.filter(pupil=world.pupil_support).delete()
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2026, 9, 7), today=TODAY)
    plan.provisions.create(description="Speech and language group", sessions_per_week=2, minutes=30)
    done = review_record(plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 11, 20), results={},
                         pupil_voice="", parent_voice="", decision="ehc", today=TODAY)  # fmt: skip
    assert done.request.local_authority == world.school.local_authority
    assert "Speech and language group" in done.request.tried and done.request.received_on is None
    assert done.next_plan.cycle == 2


def test_a_second_save_over_someone_elses_is_refused(plan):
    first = SupportPlan.objects.get(pk=plan.pk)
    second = SupportPlan.objects.get(pk=plan.pk)
    first.assessment = "Phonics gaps at phase 3."
    support_plan_save(plan=first, expected_version=first.version)
    second.assessment = "Something else entirely."
    with pytest.raises(EditConflict) as clash:
        support_plan_save(plan=second, expected_version=second.version)
    assert clash.value.current.assessment == "Phonics gaps at phase 3."
    plan.refresh_from_db()
    assert plan.assessment == "Phonics gaps at phase 3."


def test_reviewed_plans_cannot_change(plan):
    review_record(plan=plan, expected_version=plan.version, reviewed_on=dt.date(2026, 11, 20),
                  results={o.pk: ("partly", "") for o in plan.outcomes.all()}, pupil_voice="", parent_voice="",
                  decision="continue", today=TODAY)  # fmt: skip
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="reviewed"):
        support_plan_save(plan=plan, expected_version=plan.version)


@pytest.mark.parametrize(
    ("what", "criteria", "baseline", "target", "by_when", "rules"),
    [
        ("Reads 40 words a minute", "Timed reading, 3 times", "", "", dt.date(2027, 1, 1), set()),
        ("Improve confidence", "", "", "", None, {"no-criteria", "no-measure", "no-date", "vague-outcome"}),
        ("Writes a sentence with a capital letter", "Independently in 4 of 5 pieces", "", "", dt.date(2027, 1, 1), set()),
        ("Develop social skills", "Joins in", "Plays alone", "Plays with a friend", dt.date(2027, 1, 1), {"vague-outcome"}),
    ],
)
def test_outcome_rules(what, criteria, baseline, target, by_when, rules):
    assert {f.rule for f in quality.check_outcome(what, criteria, baseline, target, by_when)} == rules


def test_plan_rules_cover_strategies_and_provision(plan):
    plan.strategies.create(text="Visual timetable", owner="")
    plan.provisions.create(description="Reading group")
    rules = [f.rule for f in quality.check_plan(list(plan.outcomes.all()), list(plan.strategies.all()), list(plan.provisions.all()))]
    assert rules.count("no-owner") == 1 and "no-frequency" in rules and "no-duration" in rules
    assert quality.check_plan([], [], [])[0].rule == "no-outcomes"


# Pages ------------------------------------------------------------------------------------------------


def edit_data(plan, **extra):
    outcomes = list(plan.outcomes.all())
    data = {
        "version": plan.version, "starts_on": plan.starts_on.isoformat(), "review_on": plan.review_on.isoformat(),
        "assessment": "Reading assessment: 2 years behind.",
        "outcomes-TOTAL_FORMS": len(outcomes) + 1, "outcomes-INITIAL_FORMS": len(outcomes),
        "strategies-TOTAL_FORMS": 1, "strategies-INITIAL_FORMS": 0, "provisions-TOTAL_FORMS": 1, "provisions-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, o in enumerate(outcomes):
        data |= {f"outcomes-{i}-id": o.pk, f"outcomes-{i}-plan": plan.pk, f"outcomes-{i}-what": o.what,
                 f"outcomes-{i}-success_criteria": o.success_criteria}  # fmt: skip
    data |= {f"outcomes-{len(outcomes)}-what": "Spells 20 of the year 3 words", f"outcomes-{len(outcomes)}-by_when": "2026-12-18",
             "strategies-0-text": "Word mat on the desk", "strategies-0-owner": "Teaching assistant"}  # fmt: skip
    return data | extra


def test_the_senco_edits_a_plan_with_its_outcomes_and_strategies(client, world, plan):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/edit/"
    assert "The review date defaults to the end of Autumn 2026" in client.get(url).content.decode()
    response = client.post(url, edit_data(plan))
    assert response.status_code == 302
    assert plan.outcomes.count() == 3 and plan.strategies.filter(text="Word mat on the desk").exists()
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/").content.decode()
    assert "Word mat on the desk" in page and "An outcome has no date" not in page
    plan.refresh_from_db()
    assert all(o.by_when is not None for o in plan.outcomes.all())  # one left without a date is for the review


def test_two_people_editing_the_second_sees_the_first_ones_change(client, world, plan):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/edit/"
    stale = edit_data(plan)
    assert client.post(url, edit_data(plan, assessment="First person's assessment")).status_code == 302
    client.force_login(world.people["deputy_senco"])
    page = client.post(url, stale | {"assessment": "Second person's assessment"}).content.decode()
    assert "Not saved: someone else changed this plan" in page and "First person&#x27;s assessment" in page
    assert "Second person&#x27;s assessment" in page  # still in the form
    plan.refresh_from_db()
    assert plan.assessment == "First person's assessment"


def test_a_teacher_sees_their_pupils_and_records_evidence(client, world, plan):
    client.force_login(world.people["teacher"])  # class 3A: Quillfeather (SEN support) and Trelawney (no SEN)
    page = client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()
    assert "Ada Quillfeather" in page and "Pre-teach vocabulary" in page and "Trelawney" not in page
    outcome = plan.outcomes.first()
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/outcomes/{outcome.pk}/evidence/?next=my-pupils"
    response = client.post(url, {"noted_on": "2026-11-20", "note": "Read 38 words a minute today."})
    assert response.status_code == 302 and response.url.endswith(f"/my-pupils/#pupil-{world.pupil_support.upn}")
    assert Evidence.objects.get().by == world.people["teacher"]
    assert client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/edit/").status_code == 404


def test_a_teacher_cannot_reach_pupils_they_do_not_teach(client, world):
    client.force_login(world.people["teacher"])
    assert client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/support/").status_code == 404


def test_the_review_page_records_results_and_starts_the_next_cycle(client, world, plan):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}/review/"
    first, second = plan.outcomes.all()
    response = client.post(url, {"version": plan.version, "reviewed_on": "2026-11-20", f"result_{first.pk}": "achieved",
                                 f"result_{second.pk}": "not", "decision": "continue", "pupil_voice": "I like reading now"})  # fmt: skip
    nxt = SupportPlan.objects.get(pupil=world.pupil_support, status="current")
    assert response.url.endswith(f"/support/{nxt.pk}/edit/") and nxt.cycle == 2
    missing = client.post(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{nxt.pk}/review/",
                          {"version": nxt.version, "reviewed_on": "2026-11-21", "decision": "continue"})  # fmt: skip
    assert "There is a problem" in missing.content.decode()


def test_the_quality_help_page_lists_every_rule(client, world):
    client.force_login(world.people["teacher"])
    page = client.get("/help/plan-quality/").content.decode()
    assert all(title in page for _, title, _ in quality.RULES)


def test_the_sencos_home_shows_what_needs_doing(client, world, plan, django_assert_max_num_queries):
    client.force_login(world.people["senco"])
    home = client.get("/")
    assert home.status_code == 302 and home.url == f"/schools/{world.school.urn}/overview/"
    plan.review_on = TODAY  # due within the fortnight whatever today is in the test run
    plan.save()
    with django_assert_max_num_queries(30):
        page = client.get(home.url).content.decode()
    assert "What needs doing" in page
    assert "Improve confidence" in page  # an outcome with no success criteria
    assert "Ben Marchbanks" in page  # EHC plan, no support plan
    assert "Statutory deadlines" in page


def test_passports_keep_every_version_and_refuse_a_stale_save(client, world):
    client.force_login(world.people["teacher"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/passport/"
    client.post(url + "edit/", {"like_and_admire": "Kind to everyone", "support_best": "Give me time to answer", "based_on": ""})
    client.post(url + "edit/", {"like_and_admire": "Kind and funny", "support_best": "Give me time to answer", "based_on": "1"})
    stale = client.post(url + "edit/", {"like_and_admire": "Someone else's words", "based_on": "1"}).content.decode()
    assert "Not saved: someone else changed this passport" in stale
    page = client.get(url).content.decode()
    assert "Kind and funny" in page and "Version 2" in page and "Earlier versions" in page
    assert "Give me time to answer" in client.get(f"/schools/{world.school.urn}/my-pupils/").content.decode()
    assert client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/passport/").status_code == 404  # not their class


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_a_plan_downloads_as_word_and_pdf_holding_its_outcomes(client, world, plan):
    import io

    from docx import Document

    client.force_login(world.people["teacher"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/support/{plan.pk}"
    word = client.get(url + ".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Reads 40 words a minute" in text and "Pre-teach vocabulary" in text and "Ada Quillfeather" in text
    assert "Reads 40 words a minute" in pdf_text(client.get(url + ".pdf").content)


def test_bulk_print_runs_in_the_background_and_gives_one_file(client, world, plan, settings):
    from sencohub.support.models import PrintJob
    from sencohub.support.printing import print_bundle

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    sign_in_confirmed(client, world.people["senco"])
    response = client.post(f"/schools/{world.school.urn}/print/", {"what": "plans", "year_group": "", "fmt": "pdf"})
    job = PrintJob.objects.get()
    assert response.url == f"/schools/{world.school.urn}/print/{job.pk}/"
    assert "Waiting for the background worker" in client.get(response.url).content.decode()
    print_bundle.call(job.pk)
    poll = client.get(response.url, headers={"HX-Request": "true", "HX-Target": "print-progress"})
    assert poll.headers["HX-Refresh"] == "true"
    assert "Your file is ready" in client.get(response.url).content.decode()
    download = client.get(response.url + "download/")
    assert download["Content-Type"] == "application/pdf" and "Reads 40 words a minute" in pdf_text(download.content)
    client.force_login(world.people["deputy_senco"])
    assert client.get(response.url + "download/").status_code == 404  # each person's files are their own


def test_a_teachers_bulk_print_holds_only_their_pupils(client, world, plan):
    from sencohub.support.models import PrintJob

    other = plan_start(pupil=world.pupil_ehc, today=TODAY)  # class 4B: not the teacher's
    Outcome.objects.create(plan=other, what="Uses 4-word sentences")
    client.force_login(world.people["teacher"])
    client.post(f"/schools/{world.school.urn}/print/", {"what": "plans", "year_group": "", "fmt": "pdf"})
    job = PrintJob.objects.get()
    assert job.status == "done" and job.total == 1


def test_working_with_parents_letters_invitations_and_meetings(client, world, plan):
    import io

    from docx import Document

    from sencohub.pupils.models import ParentCarer
    from sencohub.support.models import ParentMeeting

    ParentCarer.objects.create(pupil=world.pupil_support, name="Sam Quillfeather", relationship="Father")
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/parents/"
    page = client.get(url).content.decode()
    assert "Parents not yet told" in page and "Not yet invited" in page and "0 meetings since" in page
    letter = client.get(url + "letters/letter_sen_support.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    assert "Dear Sam Quillfeather," in text and "from 8 September 2025 Ada is receiving SEN support" in text
    invite = client.get(url + "letters/letter_review_invitation.pdf")
    assert "18 December 2026" in pdf_text(invite.content)
    client.post(url, {"invited": "1", "invited_on": "2026-11-20"})
    plan.refresh_from_db()
    assert plan.parents_invited_on == dt.date(2026, 11, 20)
    client.post(url, {"meeting": "1", "held_on": "2026-10-01", "kind": "termly", "attendees": "Father, SENCo", "notes": "Agreed reading at home."})
    assert ParentMeeting.objects.get().recorded_by == world.people["senco"]
    assert "1 meeting since" in client.get(url).content.decode()
    soon = (dt.date.today() + dt.timedelta(days=60)).isoformat()  # ahead, but inside the window of plausible dates
    future = client.post(url, {"meeting": "1", "held_on": soon, "kind": "termly"}).content.decode()
    assert "once it has happened" in future
    client.force_login(world.people["teacher"])
    assert client.get(url + "letters/letter_sen_support.pdf").status_code == 404  # letters are the SENCo's
    assert client.post(url, {"meeting": "1", "held_on": "2026-10-02", "kind": "termly"}).status_code == 404


def test_term_dates_are_kept_by_the_school(client, world):
    client.force_login(world.people["send_admin"])
    url = f"/schools/{world.school.urn}/terms/"
    client.post(url, {"add": "1", "name": "Spring 2027", "starts_on": "2027-01-05", "ends_on": "2027-03-26"})
    overlap = client.post(url, {"add": "1", "name": "Odd", "starts_on": "2027-03-01", "ends_on": "2027-04-01"}).content.decode()
    assert "This overlaps Spring 2027" in overlap
    backwards = client.post(url, {"add": "1", "name": "Odd", "starts_on": "2027-05-01", "ends_on": "2027-04-01"}).content.decode()
    assert "cannot end before it starts" in backwards
    assert list(Term.objects.filter(school=world.school).values_list("name", flat=True)) == ["Spring 2027"]
    plan = plan_start(pupil=world.pupil_support, starts_on=dt.date(2027, 1, 11), today=dt.date(2027, 1, 11))
    assert plan.review_on == dt.date(2027, 3, 26)
    client.force_login(world.people["teacher"])
    assert client.get(url).status_code == 404


def test_the_golden_thread_from_ehc_outcome_to_termly_step(client, world):
    from sencohub.ehcp.models import EhcPlan

    ehc = EhcPlan.objects.get(pupil=world.pupil_ehc)
    client.force_login(world.people["senco"])
    plan_url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{ehc.pk}/"
    client.post(plan_url + "outcomes/new/", {"text": "Ben communicates his needs to familiar adults", "by_when": "end of key stage 2"})
    target = ehc.outcomes.get()
    support = plan_start(pupil=world.pupil_ehc, today=TODAY)
    edit_url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/support/{support.pk}/edit/"
    assert "Step towards the EHC plan outcome" in client.get(edit_url).content.decode()
    data = edit_data(support) | {"outcomes-0-ehc_outcome": target.pk, "outcomes-0-what": "Uses 4-word sentences to ask for help"}
    assert client.post(edit_url, data).status_code == 302
    page = client.get(plan_url).content.decode()
    assert "Support plan 1: Uses 4-word sentences to ask for help" in page and "in progress" in page
    # the link carries into the next cycle with the outcome
    step = support.outcomes.get(ehc_outcome=target)
    review_record(plan=support, expected_version=support.version + 1, reviewed_on=TODAY,
                  results={o.pk: ("partly", "") for o in support.outcomes.all()}, pupil_voice="", parent_voice="",
                  decision="continue", today=TODAY)  # fmt: skip
    assert SupportPlan.objects.get(pupil=world.pupil_ehc, cycle=2).outcomes.get(carried_from=step).ehc_outcome == target


def test_an_evidence_file_downloads_for_those_who_may_see_the_pupil(client, world, plan, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.people["teacher"])
    outcome = plan.outcomes.first()
    pupil = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}"
    client.post(f"{pupil}/support/outcomes/{outcome.pk}/evidence/",
                {"noted_on": "2026-11-20", "note": "Score sheet.", "file": SimpleUploadedFile("scores.png", b"\x89PNG\r\n\x1a\n example")})  # fmt: skip
    evidence = Evidence.objects.get()
    client.force_login(world.people["senco"])
    assert "download the file" in client.get(f"{pupil}/support/").content.decode()
    response = client.get(f"{pupil}/support/evidence/{evidence.pk}/file")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\n example"
    for persona in ("teaching_assistant", "governor", "outsider"):  # the TA works with another class
        client.force_login(world.people[persona])
        assert client.get(f"{pupil}/support/evidence/{evidence.pk}/file").status_code == 404, persona


@pytest.mark.django_db(transaction=True)
def test_a_bulk_print_whose_worker_died_says_so_and_offers_to_try_again(client, world, plan):
    import datetime as dt

    from django.test import override_settings
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from sencohub.support.models import PrintJob

    client.force_login(world.people["senco"])
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        url = client.post(f"/schools/{world.school.urn}/print/", {"what": "plans", "year_group": "", "fmt": "pdf"}).url
        job = PrintJob.objects.get()
        assert "Waiting for the background worker" in client.get(url).content.decode()
        DBTaskResult.objects.filter(id=job.task_id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=1))
        assert "no background worker seems to be running" in client.get(url).content.decode()

        # A worker takes the task, makes some progress and is killed.
        DBTaskResult.objects.get(id=job.task_id).claim("worker-that-died")
        long_ago = timezone.now() - dt.timedelta(minutes=5)
        DBTaskResult.objects.filter(id=job.task_id).update(started_at=long_ago)
        PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, done=1, total=3, progress_at=long_ago)
        page = client.get(url).content.decode()
        assert "The file could not be made" in page and "The background worker stopped" in page and "Try again" in page
        assert PrintJob.objects.get().status == PrintJob.Status.FAILED
        assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.FAILED
