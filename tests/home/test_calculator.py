"""The statutory dates page: the same rules as `sencohub timeline`, for anyone signed in."""

import pytest

URL = "/statutory-dates/"


@pytest.mark.parametrize("persona", ["senco", "parent", "governor", "la_officer"])
def test_anyone_signed_in_can_use_the_calculator(client, world, persona):
    client.force_login(world.people[persona])
    page = client.get(URL + "annual-review/?calculate=1&plan_issued=2024-02-29&meeting=2025-02-20").content.decode()
    assert "Friday 28 February 2025" in page  # 29 February + 12 months
    assert "Thursday 6 February 2025" in page  # invitations: meeting - 14 days
    assert "Children and Families Act 2014, s.44(1)" in page


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_index_lists_every_calculation(client, world):
    client.force_login(world.people["teacher"])
    page = client.get(URL).content.decode()
    for slug in ["ehc-assessment", "reassessment", "annual-review", "phase-transfer", "appeal", "senco-qualification"]:
        assert f"{URL}{slug}/" in page
    assert client.get(URL + "fortnightly/").status_code == 404


def test_impossible_dates_are_explained_not_calculated(client, world):
    client.force_login(world.people["senco"])
    page = client.get(URL + "annual-review/?calculate=1&plan_issued=2025-06-01&meeting=2025-05-01").content.decode()
    assert "There is a problem" in page and "is before the date the plan was issued" in page
    assert 'id="results"' not in page


def test_bad_input_gets_a_message_not_an_error(client, world):
    client.force_login(world.people["senco"])
    response = client.get(URL + "appeal/?calculate=1&decision=2026-02-30")
    assert response.status_code == 200 and "as a real date" in response.content.decode()
    both = client.get(URL + "annual-review/?calculate=1&plan_issued=2024-01-01&last_review=2025-01-01").content.decode()
    assert "not both" in both


def test_the_appeal_deadline_moves_past_a_weekend_and_a_bank_holiday(client, world):
    client.force_login(world.people["parent"])
    page = client.get(URL + "appeal/?calculate=1&decision=2026-03-02").content.decode()
    assert "Tuesday 5 May 2026" in page and "Saturday 2 May 2026" not in page  # Monday 4 May is a bank holiday
    assert "r.12(3) then r.12(2)" in page  # both parts of the Tribunal's rule 12 are named
    summer = client.get(URL + "appeal/?calculate=1&decision=2026-06-15").content.decode()
    assert "Tuesday 1 September 2026" in summer  # in August: after 31 August, itself a bank holiday in 2026


def test_senco_qualification_says_whether_the_duty_applies(client, world):
    client.force_login(world.people["head"])
    page = client.get(
        URL + "senco-qualification/?calculate=1&appointed=2024-11-01&previous_senco_months=0&course=nasenco&course_start=2024-06-01"
    ).content.decode()
    assert "The SENCo must gain the qualification." in page and "Tuesday 31 August 2027" in page
    assert "NPQ for SENCOs, NASENCo" in page
    page = client.get(URL + "senco-qualification/?calculate=1&appointed=2008-01-01").content.decode()
    assert "The duty does not apply." in page


def test_impossible_dates_are_written_in_words_on_the_page(client, world):
    client.force_login(world.people["senco"])
    page = client.get(URL + "appeal/?calculate=1&decision=2026-06-15&mediation_certificate=2026-05-01").content.decode()
    assert "The date of the mediation certificate (1 May 2026) is before the date of the decision (15 June 2026)." in page
    assert "2026-05-01)" not in page


@pytest.mark.parametrize(("slug", "caption"), [("appeal", "Due dates: Appeal to the Tribunal"),
                                               ("senco-qualification", "Due dates: SENCo qualification")])  # fmt: skip
def test_the_table_caption_keeps_the_calculations_capitals(client, world, slug, caption):
    client.force_login(world.people["senco"])
    query = "decision=2026-03-02" if slug == "appeal" else "appointed=2024-11-01&previous_senco_months=0"
    page = client.get(f"{URL}{slug}/?calculate=1&{query}").content.decode()
    assert f"{caption}</caption>" in page
