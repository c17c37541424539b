"""The catalog versions through the API: list, export, upload a draft (YAML body or file), approve by a
second person; the same permissions as the workbench pages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from ntm.accounts.models import Membership, Role
from ntm.api.actions import create_token
from ntm.catalog_source import reload_catalog
from ntm.catalogs.models import CatalogVersion, State
from ntm.evaluation.models import RefreshJob
from ntm.units.models import Kind, Unit

SET = "commune-ntm-2026-2030"
TEXT = (Path(settings.CATALOG_DIR) / f"{SET}.yaml").read_text(encoding="utf-8")
NEW = (TEXT.replace('version: "2026.1"', 'version: "2026.2"')
       .replace('name_en: "Planning"', 'name_en: "Spatial planning"'))


@pytest.fixture(autouse=True)
def _fresh(db, settings):
    settings.NTM_JOBS_INLINE = True
    settings.NTM_CATALOG_RECHECK_SECONDS = 0
    reload_catalog()
    yield
    reload_catalog()


def person(username: str, role: Role, unit: Unit | None) -> str:
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(user=user, role=role, unit=unit)
    return create_token(user, name="tests")[1]


@pytest.fixture
def tokens(db):
    long_an = Unit.objects.create(key="p80", code="80", name="Long An", kind=Kind.PROVINCE)
    commune = Unit.objects.create(key="c1", code="1", name="Mỹ Yên", kind=Kind.COMMUNE, parent=long_an)
    return {"office": person("vpdp.longan", Role.PROVINCE_OFFICE, long_an),
            "admin": person("quantri", Role.ADMIN, None),
            "official": person("canbo", Role.COMMUNE_OFFICIAL, commune)}


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def upload(client, token: str, text: str = NEW):
    return client.post("/api/catalog/versions", text.encode(), content_type="application/yaml", headers=auth(token))


def test_a_commune_official_is_refused_everywhere(client, tokens):
    headers = auth(tokens["official"])
    assert client.get("/api/catalog/versions", headers=headers).status_code == 403
    assert upload(client, tokens["official"]).status_code == 403
    assert client.get("/api/catalog/versions").status_code == 401


def test_upload_list_export_and_approve_by_a_second_person(client, tokens, django_capture_on_commit_callbacks):
    created = upload(client, tokens["office"])
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["set_id"], body["version"], body["state"], body["based_on"], body["created_by"]) == (
        SET, "2026.2", "draft", "2026.1", "vpdp.longan")
    listed = client.get("/api/catalog/versions", {"set_id": SET}, headers=auth(tokens["office"])).json()
    assert [v["version"] for v in listed] == ["2026.2"]
    exported = client.get(f"/api/catalog/versions/{body['id']}/yaml", headers=auth(tokens["office"]))
    assert exported["Content-Type"].startswith("application/yaml") and exported.content.decode() == NEW

    own = client.post(f"/api/catalog/versions/{body['id']}/approve", {}, content_type="application/json",
                      headers=auth(tokens["office"]))
    assert own.status_code == 409 and "người thứ hai" in own.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"/api/catalog/versions/{body['id']}/approve", {"note": "ok"},
                               content_type="application/json", headers=auth(tokens["admin"]))
    assert approved.status_code == 200, approved.content
    job = approved.json()
    assert RefreshJob.objects.get(pk=job["id"]).state == "done"
    assert CatalogVersion.objects.get(pk=body["id"]).state == State.PUBLISHED
    assert reload_catalog().get(SET).criteria[0].name_en == "Spatial planning"
    again = client.post(f"/api/catalog/versions/{body['id']}/approve", {}, content_type="application/json",
                        headers=auth(tokens["admin"]))
    assert again.status_code == 409


def test_an_invalid_draft_is_refused_with_its_problems_named_per_indicator(client, tokens):
    bad = NEW.replace("comparison: met", "comparison: maybe", 1)
    refused = upload(client, tokens["office"], bad)
    assert refused.status_code == 400
    problem = refused.json()["problems"][0]
    assert (problem["criterion"], problem["indicator"]) == ("1", "1.0")
    assert "maybe" in problem["message_en"]
    assert not CatalogVersion.objects.exists()


def test_a_draft_as_a_file_and_an_old_version_number(client, tokens):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/catalog/versions", {"file": SimpleUploadedFile("v.yaml", NEW.encode()),
                                                     "note": "Phụ lục I"}, headers=auth(tokens["office"]))
    assert response.status_code == 201 and response.json()["note"] == "Phụ lục I"
    old = upload(client, tokens["office"], TEXT)
    assert old.status_code == 400 and "mới hơn" in old.json()["detail"]


def test_a_province_office_cannot_upload_a_layer_for_another_province(client, tokens):
    layer = (Path(settings.CATALOG_DIR) / "provinces").glob("*.yaml")
    text = next(iter(sorted(layer)), None)
    if text is None:
        pytest.skip("no province layer in the repository")
    other = text.read_text(encoding="utf-8").replace("key: p80", "key: p72")
    assert upload(client, tokens["office"], other).status_code == 403
