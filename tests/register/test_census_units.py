"""The census export's SEN unit and resourced provision indicators (STATUTORY.md section 5): recorded per pupil, only
where the school has such provision recognised by the LA, and exported then for every pupil on roll."""

import pytest
from django.core.exceptions import ValidationError

from sencohub.register.services import census_indicators_set, census_provision_set
from sencohub.reports.census import census_csv, census_rows
from tests.reauth import sign_in_confirmed


def test_a_school_without_such_provision_exports_no_indicators(world):
    assert all(set(row) == {"upn", "sen_provision", "primary_sen_type", "secondary_sen_type"} for row in census_rows(school=world.school))


def test_a_pupil_in_the_schools_sen_unit_is_exported_as_such(client, world):
    client.force_login(world.people["senco"])
    units = f"/schools/{world.school.urn}/census/units/"
    assert client.post(units, {"has_sen_unit": "on"}).status_code == 302
    pupil_url = f"/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}/census/"
    form = client.get(pupil_url).content.decode()
    assert "A member of the school&#x27;s SEN unit" in form and 'name="in_resourced_provision"' not in form
    assert client.post(pupil_url, {"in_sen_unit": "on"}).status_code == 302
    sign_in_confirmed(client, world.people["senco"])
    rows = {r["upn"]: r for r in client.get(f"/schools/{world.school.urn}/census.json").json()}
    assert rows[world.pupil_ehc.upn]["sen_unit_indicator"] is True
    assert rows[world.pupil_support.upn]["sen_unit_indicator"] is False
    assert all("resourced_provision_indicator" not in r for r in rows.values())
    lines = client.get(f"/schools/{world.school.urn}/census.csv").content.decode().splitlines()
    assert lines[0] == "upn,sen_provision,primary_sen_type,secondary_sen_type,sen_unit_indicator"
    assert f"{world.pupil_ehc.upn},E,ASD,SLCN,true" in lines
    assert "SEN unit" in client.get(units).content.decode() and world.pupil_ehc.full_name in client.get(units).content.decode()


def test_a_pupil_cannot_be_in_provision_the_school_does_not_have(world):
    with pytest.raises(ValidationError) as refused:
        census_indicators_set(pupil=world.pupil_ehc, in_sen_unit=False, in_resourced_provision=True)
    assert "has no resourced provision recorded" in refused.value.message_dict["in_resourced_provision"][0]


def test_the_school_cannot_drop_provision_its_pupils_are_recorded_in(world):
    census_provision_set(school=world.school, has_sen_unit=False, has_resourced_provision=True)
    census_indicators_set(pupil=world.pupil_ehc, in_sen_unit=False, in_resourced_provision=True)
    with pytest.raises(ValidationError) as refused:
        census_provision_set(school=world.school, has_sen_unit=False, has_resourced_provision=False)
    assert refused.value.message_dict["has_resourced_provision"] == [
        "1 pupil on roll is recorded in the school's resourced provision: take them out of it first."
    ]
    world.school.refresh_from_db()
    assert census_csv(census_rows(school=world.school)).splitlines()[0].endswith("secondary_sen_type,resourced_provision_indicator")
