import re

from sencohub.register.models import Concern
from tests.factories import PupilFactory, put_on_register
from tests.reauth import sign_in_confirmed


def add_pupils(school, n):
    for i in range(n):
        put_on_register(PupilFactory(school=school), "K" if i % 3 else "E", "SLCN", "SEMH" if i % 2 else None)


def test_register_page_queries_do_not_grow_with_pupils(client, world, django_assert_max_num_queries):
    client.force_login(world.people["senco"])
    add_pupils(world.school, 5)
    with django_assert_max_num_queries(25) as small:
        assert client.get(f"/schools/{world.school.urn}/register/").status_code == 200
    add_pupils(world.school, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/schools/{world.school.urn}/register/").status_code == 200


def test_register_filters_by_need_and_area(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/?need=ASD").content.decode()
    assert "Marchbanks" in page and "Quillfeather" not in page
    page = client.get(f"/schools/{world.school.urn}/register/?area=communication+and+interaction&provision=K").content.decode()
    assert "Quillfeather" in page and "Marchbanks" not in page


def test_register_shows_national_figures(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/").content.decode()
    assert "England 19.5%" in page and "England 5.3%" in page and "England 14.2%" in page


def test_register_exports_csv_and_xlsx(client, world):
    sign_in_confirmed(client, world.people["senco"])
    csv_text = client.get(f"/schools/{world.school.urn}/register/export.csv?provision=E").content.decode()
    assert csv_text.splitlines()[0].startswith("UPN,Surname")
    assert world.pupil_ehc.upn in csv_text and world.pupil_support.upn not in csv_text
    xlsx = client.get(f"/schools/{world.school.urn}/register/export.xlsx")
    assert xlsx.content[:2] == b"PK"
    census = client.get(f"/schools/{world.school.urn}/census.json").json()
    assert {"upn": world.pupil_ehc.upn, "sen_provision": "E", "primary_sen_type": "ASD", "secondary_sen_type": "SLCN"} in census


def test_pupil_page_lists_status_needs_and_concerns(client, world, django_assert_max_num_queries):
    client.force_login(world.people["senco"])
    Concern.objects.create(pupil=world.pupil_support, what_seen="Finds long instructions hard")
    with django_assert_max_num_queries(25):
        page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/").content.decode()
    assert "Speech, language and communication needs" in page
    assert "Finds long instructions hard" in page
    assert "Not yet recorded" in page  # parents not yet told SEN support began


def test_bad_status_form_input_shows_errors_and_saves_nothing(client, world):
    client.force_login(world.people["senco"])
    url = f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/status/"
    response = client.post(url, {"provision": "K", "start_date": "31/02/2026", "reason": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    world.pupil_none.refresh_from_db()
    assert world.pupil_none.sen_provision == "N"


def test_need_shares_are_compared_with_all_ehc_plans_aged_0_to_25_not_the_census(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/").content.decode()
    assert "All EHC plans in England, ages 0 to 25" in page
    assert "from the SEN2 return). These are not school census figures" in page
    for need, share in (("SLD", "4.0%"), ("SPLD", "2.3%"), ("Not known", "0.8%")):
        row = page.split(f'<th scope="row" class="govuk-table__header">{need}</th>', 1)[1].split("</tr>", 1)[0]
        assert row.rstrip().endswith(f"{share}</td>"), need


def test_a_name_search_finds_a_pupil_the_filters_would_hide_and_says_the_filters_were_cleared(client, world):
    client.force_login(world.people["senco"])
    put_on_register(PupilFactory(school=world.school, surname="Lovelace", forename="Ada", year_group="5"), "K", "SEMH")
    url = f"/schools/{world.school.urn}/register/?year_group=5&need=SEMH&q=ada"
    page = client.get(url).content.decode()
    # Ada Quillfeather is in year 3 with SLCN: the filters alone would hide her.
    assert "Quillfeather" in page and "Lovelace" in page
    assert "Showing every pupil named ‘ada’: filters cleared. 2 pupils match." in page
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="innerHTML"' in page and "filters cleared" in page and "Quillfeather" in page


def test_a_name_search_finds_a_pupil_without_sen_though_the_register_shows_only_pupils_with_sen(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/?q=trelawney").content.decode()
    assert "Trelawney" in page and "filters cleared" in page


def test_a_name_search_the_filters_do_not_narrow_keeps_the_filters(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/?need=ASD&q=marchbanks").content.decode()
    assert "Marchbanks" in page and "filters cleared" not in page
    assert "1 pupil matches." in page


def test_a_name_search_never_reaches_pupils_the_person_may_not_see(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/register/?q=ottershaw&provision=E").content.decode()
    assert "Ottershaw" not in page and "0 pupils match." in page


def test_the_download_holds_every_pupil_a_name_search_found(client, world):
    sign_in_confirmed(client, world.people["senco"])
    csv_text = client.get(f"/schools/{world.school.urn}/register/export.csv?provision=E&q=ada").content.decode()
    assert world.pupil_support.upn in csv_text and world.pupil_ehc.upn not in csv_text


def test_a_pupil_without_sen_is_offered_the_status_form_with_sen_support_chosen(client, world):
    client.force_login(world.people["senco"])
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/").content.decode()
    assert f"/pupils/{world.pupil_none.upn}/status/?provision=K" in page and "Add to the SEN register" in page
    form = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_none.upn}/status/?provision=K").content.decode()
    assert "Add to the SEN register" in form
    assert re.search(r'<input[^>]*value="K"[^>]*checked', form)  # SEN support is chosen
    page = client.get(f"/schools/{world.school.urn}/pupils/{world.pupil_support.upn}/").content.decode()
    assert "Add to the SEN register" not in page
