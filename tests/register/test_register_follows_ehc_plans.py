"""The register agrees with the EHC plans (STATUTORY.md section 5): a pupil with a current EHC plan is E and stays E
while the plan is current, whichever way a change comes (the service, the page, the MIS import); ceasing the plan
asks what the pupil's provision becomes and records it; the census follows."""

import datetime as dt
from html import escape

import pytest
from django.core.exceptions import ValidationError

from sencohub.ehcp.models import EhcPlan
from sencohub.register.mis.applying import pupils_import
from sencohub.register.models import SenStatus
from sencohub.register.services import sen_status_change
from sencohub.reports.census import census_rows

# The world's plan: Ben Marchbanks's, issued 3 March 2025 by Bristol, City of.
THE_PLAN = "current EHC plan (issued 3 March 2025 by Bristol, City of)"


def census_of(world, pupil):
    return next(r for r in census_rows(school=world.school) if r["upn"] == pupil.upn)


@pytest.mark.parametrize("provision", ["K", "N"])
def test_the_register_service_refuses_to_move_a_pupil_with_a_current_plan_off_e(world, provision):
    with pytest.raises(ValidationError) as refused:
        sen_status_change(pupil=world.pupil_ehc, provision=provision, start_date=dt.date(2026, 11, 2),
                          reason="Needs now met at SEN support.", primary_need="ASD" if provision == "K" else None)  # fmt: skip
    message = refused.value.message_dict["provision"][0]
    assert THE_PLAN in message and "record that on the plan's page" in message
    world.pupil_ehc.refresh_from_db()
    assert world.pupil_ehc.sen_provision == "E"


def test_the_status_page_says_which_plan_keeps_the_pupil_at_e(client, world):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/status/"
    page = client.post(url, {"provision": "K", "start_date": "2026-11-02", "reason": "Doing well", "primary_need": "ASD"})
    assert page.status_code == 200 and THE_PLAN in page.content.decode()
    assert census_of(world, world.pupil_ehc)["sen_provision"] == "E"


def test_an_mis_import_cannot_move_a_pupil_with_a_current_plan_to_sen_support(world):
    ben = world.pupil_ehc
    file = ("upn,surname,forename,date_of_birth,sen_provision,primary_need,secondary_need\n"
            f"{ben.upn},{ben.surname},{ben.forename},{ben.date_of_birth:%d/%m/%Y},K,ASD,SLCN\n").encode()  # fmt: skip
    for dry_run in (True, False):
        result = pupils_import(school=world.school, filename="pupils.csv", content=file, dry_run=dry_run,
                               allow_leaving_register=True, today=dt.date(2026, 11, 23))  # fmt: skip
        assert not result.applied and [(e.line, e.column) for e in result.errors] == [(2, "sen_provision")]
        assert THE_PLAN in result.errors[0].message
    ben.refresh_from_db()
    assert ben.sen_provision == "E"


def test_ceasing_the_plan_asks_what_the_provision_becomes_and_the_census_follows(client, world):
    # CFA s.45: the LA ceases to maintain Ben's plan on 14 November 2026. The SENCo records that the school goes on
    # meeting his needs at SEN support (K): from that day he is K, with the E period closed, and the census says K.
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    client.force_login(world.people["senco"])
    plan_page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/").content.decode()
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/cease/"
    assert url in plan_page
    form = client.get(url).content.decode()
    assert "What does the pupil&#x27;s SEN provision become?" in form
    unanswered = client.post(url, {"version": plan.version, "ceased_on": "2026-11-14"}).content.decode()
    assert "Choose SEN support (K) or no SEN (N)" in unanswered
    done = client.post(url, {"version": plan.version, "ceased_on": "2026-11-14", "provision": "K", "primary_need": "ASD"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.ceased_on == dt.date(2026, 11, 14)
    history = list(SenStatus.objects.filter(pupil=world.pupil_ehc).order_by("start_date"))
    assert [(s.provision, s.end_date) for s in history][-2:] == [("E", dt.date(2026, 11, 14)), ("K", None)]
    assert "ceased on 14 November 2026" in history[-1].reason
    assert census_of(world, world.pupil_ehc) == {"upn": world.pupil_ehc.upn, "sen_provision": "K", "primary_sen_type": "ASD",
                                                 "secondary_sen_type": None}  # fmt: skip
    # No longer held at E: the register may now move him as the SENCo decides.
    sen_status_change(pupil=world.pupil_ehc, provision="N", start_date=dt.date(2026, 11, 20), reason="Needs met.")


def test_ceasing_to_no_sen_removes_the_needs(world):
    from sencohub.ehcp.services import plan_cease

    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    plan_cease(plan=plan, ceased_on=dt.date(2026, 11, 14), provision="N", primary_need="ASD")
    assert census_of(world, world.pupil_ehc) == {"upn": world.pupil_ehc.upn, "sen_provision": "N", "primary_sen_type": None,
                                                 "secondary_sen_type": None}  # fmt: skip


def test_a_cease_date_before_the_plan_or_in_the_future_is_refused(world):
    from sencohub.ehcp.services import plan_cease

    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    for day in (dt.date(2025, 3, 2), dt.date(2026, 12, 31)):
        with pytest.raises(ValidationError) as refused:
            plan_cease(plan=plan, ceased_on=day, provision="K", primary_need="ASD", today=dt.date(2026, 11, 23))
        assert "ceased_on" in refused.value.message_dict
    plan.refresh_from_db()
    assert plan.ceased_on is None


def test_the_plan_edit_form_no_longer_ceases_a_plan_behind_the_registers_back(client, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    client.force_login(world.people["senco"])
    form = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/edit/").content.decode()
    assert 'name="ceased_on"' not in form


def test_the_new_plan_form_does_not_offer_a_cease_date_so_a_recorded_plan_puts_the_pupil_on_e(client, world):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/plans/new/"
    form = client.get(url).content.decode()
    assert 'name="ceased_on"' not in form and "Date the plan ceased" not in form
    client.post(url, {"local_authority": world.school.local_authority_id, "issued_on": "2026-10-21", "placement": "Alder Primary",
                      "ceased_on": "2026-11-01"})  # fmt: skip
    plan = EhcPlan.objects.get(pupil=world.pupil_support)
    assert plan.ceased_on is None
    assert census_of(world, world.pupil_support)["sen_provision"] == "E"


def test_a_plan_issued_before_the_current_sen_status_began_is_refused_on_the_issue_date_in_words(client, world):
    SenStatus.objects.filter(pupil=world.pupil_support).update(start_date=dt.date(2024, 9, 3))
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/ehc/plans/new/"
    page = client.post(url, {"local_authority": world.school.local_authority_id, "issued_on": "2023-03-12",
                             "placement": "Alder Primary"}).content.decode()  # fmt: skip
    message = escape("The plan's issue date must be on or after 3 September 2024, when Ada Quillfeather's current SEN status "
                     "(SEN support) began.")  # fmt: skip
    summary = page[page.index("govuk-error-summary"):]
    assert f'<a href="#id_issued_on">{message}' in summary
    field = page[page.index('id="id_issued_on-error"'):]
    assert message in field[:field.index("</p>")]
    assert "03/09/2024" not in page
    assert not EhcPlan.objects.filter(pupil=world.pupil_support).exists()


def test_an_la_officer_cannot_record_the_schools_register_change(client, world):
    plan = EhcPlan.objects.get(pupil=world.pupil_ehc)
    client.force_login(world.people["la_officer"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/ehc/plans/{plan.pk}/cease/"
    assert client.get(url).status_code == 404
    assert url not in client.get(url.replace("cease/", "")).content.decode()
