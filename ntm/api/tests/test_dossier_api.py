"""The API's dossier calls do what the dossier page does: same readers, same refusals in the page's words,
the same confirmation before submitting with unmet criteria, uploads through the page's checks."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ntm.recognition.models import Dossier

from .conftest import QMT, token_of

# A one-page PDF that parses (the upload checks parse the whole file).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")


@pytest.fixture
def dossier(demo, settings, tmp_path):
    from ntm.recognition.demo import create_demo_dossiers

    settings.MEDIA_ROOT = tmp_path
    create_demo_dossiers()
    return Dossier.objects.get(commune__key=QMT, year=2024)


def page_as(username: str) -> Client:
    browser = Client()
    browser.force_login(get_user_model().objects.get(username=username))
    return browser


def page_message(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_commune_reads_its_dossier_with_its_next_steps(as_caller, dossier):
    body = as_caller(token_of("canbo.quemythanh")).get(f"/api/dossiers/{dossier.pk}").json()
    assert (body["commune"], body["step"]) == (QMT, "drafting")
    assert "submitted" in {s["to"] for s in body["steps"]}
    assert {d["kind"] for d in body["documents"]} >= {"commune-report", "satisfaction-survey"}


def test_the_commune_next_door_may_not_read_it(as_caller, dossier):
    page = page_as("canbo.binhtrinhdong").get(reverse("recognition:dossier", args=[dossier.pk]))
    api = as_caller(token_of("canbo.binhtrinhdong")).get(f"/api/dossiers/{dossier.pk}")
    assert page.status_code == api.status_code == 403
    assert api.json() == {"detail": "Không có quyền / Forbidden"}


def test_a_step_the_rules_refuse_is_refused_with_the_pages_reason(as_caller, dossier):
    """The district office may not submit the commune's dossier (nor may anyone with documents missing)."""
    page = page_as("vpdp.tantru").post(reverse("recognition:step", args=[dossier.pk]),
                                       {"to": "submitted", "confirm_unmet": "yes"}, follow=True)
    api = as_caller(token_of("vpdp.tantru")).post(f"/api/dossiers/{dossier.pk}/steps",
                                                  {"to": "submitted", "confirm_unmet": True})
    assert api.status_code == 409
    assert api.json()["detail"] and api.json()["detail"] in page_message(page)
    assert Dossier.objects.get(pk=dossier.pk).step == "drafting"


def test_the_commune_sets_its_conditions_and_a_department_may_not(as_caller, dossier):
    done = as_caller(token_of("canbo.quemythanh")).post(f"/api/dossiers/{dossier.pk}/conditions",
                                                        {"satisfaction_rate": "96.5", "security_ok": True})
    assert done.status_code == 200, done.content
    assert Decimal(done.json()["satisfaction_rate"]) == Decimal("96.5")
    page = page_as("phong.yte").post(reverse("recognition:conditions", args=[dossier.pk]),
                                     {"satisfaction_rate": "10"}, follow=True)
    api = as_caller(token_of("phong.yte")).post(f"/api/dossiers/{dossier.pk}/conditions",
                                                {"satisfaction_rate": "10"})
    assert api.status_code == 409
    assert api.json()["detail"] in page_message(page)
    assert Dossier.objects.get(pk=dossier.pk).satisfaction_rate == 96.5


def test_the_commune_uploads_a_document_and_a_script_is_refused_like_on_the_page(client, as_caller, dossier):
    caller = as_caller(token_of("canbo.quemythanh"))
    url = f"/api/dossiers/{dossier.pk}/documents"
    pdf = SimpleUploadedFile("bien-ban-hop.pdf", PDF, content_type="application/pdf")
    done = client.post(url, {"kind": "commune-meeting-minutes", "file": pdf}, headers=caller.headers)
    assert done.status_code == 201, done.content
    assert done.json()["kind"] == "commune-meeting-minutes"
    assert dossier.documents.filter(kind="commune-meeting-minutes").exists()

    def script():
        return SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")

    api = client.post(url, {"kind": "commune-meeting-minutes", "file": script()}, headers=caller.headers)
    page = page_as("canbo.quemythanh").post(reverse("recognition:upload", args=[dossier.pk]),
                                            {"kind": "commune-meeting-minutes", "file": script()}, follow=True)
    assert api.status_code == 400
    assert api.json()["detail"] in page_message(page)
    assert dossier.documents.filter(kind="commune-meeting-minutes").count() == 1


def test_submitting_with_unmet_criteria_needs_the_pages_confirmation(client, as_caller, full_demo, settings,
                                                                    tmp_path):
    from django.core.files.base import ContentFile

    from ntm.recognition import actions

    settings.MEDIA_ROOT = tmp_path
    dossier = Dossier.objects.get(commune__key=QMT, level="ntmnc", year=2024)
    leader = get_user_model().objects.get(username="lanhdao.quemythanh")
    for kind in ("commune-meeting-minutes", "commune-opinions"):
        actions.upload_document(dossier, kind=kind, upload=ContentFile(PDF, name=f"{kind}.pdf"), by=leader)
    caller = as_caller(token_of("lanhdao.quemythanh"))
    assert caller.get(f"/api/dossiers/{dossier.pk}").json()["unmet_criteria"] == ["1", "10", "13", "14"]
    page = page_as("lanhdao.quemythanh").post(reverse("recognition:step", args=[dossier.pk]), {"to": "submitted"},
                                              follow=True)
    warned = caller.post(f"/api/dossiers/{dossier.pk}/steps", {"to": "submitted"})
    assert warned.status_code == 409
    assert "hãy xác nhận rằng vẫn trình hồ sơ" in warned.json()["detail"]
    assert warned.json()["detail"] in page_message(page)
    assert Dossier.objects.get(pk=dossier.pk).step == "drafting"
    done = caller.post(f"/api/dossiers/{dossier.pk}/steps", {"to": "submitted", "confirm_unmet": True})
    assert done.status_code == 200, done.content
    assert done.json()["step"] == "submitted"


@pytest.mark.parametrize(("path", "method", "codes"), [
    ("/api/dossiers/{dossier_id}", "get", {"200", "401", "403", "404"}),
    ("/api/dossiers/{dossier_id}/steps", "post", {"200", "400", "401", "403", "404", "409"}),
    ("/api/dossiers/{dossier_id}/conditions", "post", {"200", "401", "403", "404", "409"}),
    ("/api/dossiers/{dossier_id}/documents", "post", {"201", "400", "401", "403", "404"}),
])
def test_the_schema_lists_every_answer(client, db, path, method, codes):
    operation = client.get("/api/openapi.json").json()["paths"][path][method]
    assert codes <= set(operation["responses"])
