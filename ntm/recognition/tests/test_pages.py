"""The pages answer readers, refuse outsiders, and show why a step is refused."""

from __future__ import annotations

from ntm.recognition.demo import create_demo_dossiers
from ntm.recognition.models import Dossier


def test_the_commune_page_lists_dossiers_and_opens_one(client, people):
    client.force_login(people.official)
    response = client.post("/dossiers/c28084/", {"level": "ntm", "year": "2024"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/d/{dossier.pk}/"
    assert "NTM" in client.get("/dossiers/c28084/").content.decode()


def test_the_dossier_page_shows_checklist_completeness_and_refusals(client, people, settings, tmp_path):
    create_demo_dossiers()
    dossier = Dossier.objects.get(commune__key="c28084")
    client.force_login(people.official)
    page = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert "Báo cáo kết quả xây dựng NTM của xã" in page
    assert "38%" in page  # 3 of the 8 required kinds (no district documents from 1/7/2025)
    assert "hồ sơ chưa đủ: thiếu" in page


def test_a_refused_step_comes_back_as_a_message(client, people):
    create_demo_dossiers()
    dossier = Dossier.objects.get(commune__key="c28084")
    client.force_login(people.official)
    response = client.post(f"/dossiers/d/{dossier.pk}/step/", {"to": "submitted"}, follow=True)
    assert "hồ sơ chưa đủ: thiếu" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).step == "drafting"


def test_outsiders_are_refused(client, people):
    create_demo_dossiers()
    dossier = Dossier.objects.get(commune__key="c28084")
    client.force_login(people.outsider)
    assert client.get(f"/dossiers/d/{dossier.pk}/").status_code == 403
    assert client.get("/dossiers/c28084/").status_code == 403
