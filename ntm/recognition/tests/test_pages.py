"""The pages answer readers, refuse outsiders, and show why a step is refused."""

from __future__ import annotations

import re

from django.utils import translation

from ntm.core.recognition import Step
from ntm.recognition import views
from ntm.recognition.demo import create_demo_dossiers
from ntm.recognition.models import Dossier

from .conftest import PDF


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


def test_years_show_without_a_thousands_separator(client, people):
    """Vietnamese number formatting turned 2024 into “2.024”, and the year box of the open form (a number
    input) then held 2.024: below its minimum, so the browser refused to send the form."""
    client.force_login(people.official)
    client.post("/dossiers/c28084/", {"level": "ntm", "year": "2024"})
    dossier = Dossier.objects.get()
    listing = client.get("/dossiers/c28084/").content.decode()
    detail = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert "<td>2024</td>" in listing and "2.024" not in listing
    assert re.search(r'name="year" value="\d{4}"', listing)
    assert "NTM 2024" in detail and "2.024" not in detail


def test_step_buttons_say_what_they_do_and_files_show_their_kind_and_uploader(client, people, tmp_path, settings):
    """The buttons carried the step names ("Đã trình"; "Đã thu hồi" on a recognised dossier, as if already
    revoked), and the file list showed kind codes and user names."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.official)
    client.post("/dossiers/c28084/", {"level": "ntm", "year": "2024"})
    dossier = Dossier.objects.get()
    client.post(f"/dossiers/d/{dossier.pk}/files/", {
        "kind": "commune-report", "file": SimpleUploadedFile("bao-cao.pdf", PDF)})
    page = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert re.search(r'<button type="submit"[^>]*>Trình hồ sơ</button>', page)
    assert "<td>Báo cáo kết quả xây dựng NTM của xã</td>" in page and "<td>commune-report</td>" not in page
    assert re.search(r"<td>Nguyễn Văn An \d\d/\d\d/\d{4} ", page)  # the uploader by name, then when
    with translation.override("en"):
        assert [str(views.ACTIONS[s]) for s in (Step.SUBMITTED, Step.RECOGNISED, Step.REVOKED)] == [
            "Submit the dossier", "Recognise", "Revoke the recognition"]
