import pytest

from sencohub.accounts.models import ApiToken
from sencohub.accounts.services import api_token_create


@pytest.fixture
def token(world):
    return api_token_create(user=world.people["senco"], name="script")[1]


def test_unauthenticated_calls_get_401(client, world):
    assert client.get(f"/api/v1/schools/{world.school.urn}/pupils").status_code == 401
    assert client.get("/api/v1/schools", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_the_schema_is_public(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/schools/{urn}/register" in response.json()["paths"]


def test_a_token_reads_the_register(client, world, token):
    response = client.get(f"/api/v1/schools/{world.school.urn}/register", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    upns = {item["upn"] for item in response.json()["items"]}
    assert upns == {world.pupil_support.upn, world.pupil_ehc.upn}


def test_a_pupil_comes_with_needs_and_history(client, world, token):
    response = client.get(
        f"/api/v1/schools/{world.school.urn}/pupils/{world.pupil_ehc.upn}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    data = response.json()
    assert [n["sen_type"] for n in data["needs"]] == ["ASD", "SLCN"]
    assert data["sen_history"][0]["provision"] == "E"
    assert data["date_of_birth"] == world.pupil_ehc.date_of_birth.isoformat()


def test_a_revoked_token_stops_working(client, world):
    from sencohub.accounts.services import api_token_revoke

    record, token = api_token_create(user=world.people["senco"], name="x")
    api_token_revoke(user=world.people["senco"], token_id=record.pk)
    assert client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_another_schools_token_gets_404(client, world):
    _, token = api_token_create(user=world.people["outsider"], name="x")
    response = client.get(f"/api/v1/schools/{world.school.urn}/pupils", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


def test_a_teacher_can_raise_a_concern_through_the_api(client, world):
    _, token = api_token_create(user=world.people["teacher"], name="x", scope=ApiToken.Scope.READ_WRITE)
    response = client.post(
        f"/api/v1/schools/{world.school.urn}/concerns", {"upn": world.pupil_none.upn, "what_seen": "Struggles with phonics"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["status"] == "open"
    # ...but not about a pupil outside their classes
    response = client.post(
        f"/api/v1/schools/{world.school.urn}/concerns", {"upn": world.pupil_ehc.upn, "what_seen": "x"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert response.status_code == 404


def test_bad_input_gets_a_4xx_not_a_500(client, world):
    _, token = api_token_create(user=world.people["senco"], name="x", scope=ApiToken.Scope.READ_WRITE)
    response = client.post(
        f"/api/v1/schools/{world.school.urn}/concerns", "{not json", content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert 400 <= response.status_code < 500
