"""Submitting a recognition dossier: the upload form offers a type still missing, and a commune that
submits with criteria unmet is warned and asked to confirm; nothing on the page speaks of the district
after 1/7/2025."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from ntm.recognition import actions
from ntm.recognition.models import Dossier

pytestmark = pytest.mark.django_db
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")


def _login(client, username: str):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def _selected_kind(page: str) -> str:
    select = re.search(r'<select name="kind">(.*?)</select>', page, re.S).group(1)
    return re.search(r'<option value="([^"]+)" selected>', select).group(1)


def test_the_upload_form_offers_the_first_required_document_still_missing(client, full_demo):
    dossier = Dossier.objects.get(commune__key="c28084", level="ntmnc", year=2024)
    _login(client, "canbo.quemythanh")
    page = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert _selected_kind(page) == "commune-meeting-minutes"  # the first required type still missing
    assert _selected_kind(page) not in {d.kind for d in dossier.documents.all()}


def test_submitting_with_criteria_unmet_asks_for_confirmation_and_then_goes_to_the_province(client, full_demo):
    dossier = Dossier.objects.get(commune__key="c28084", level="ntmnc", year=2024)
    user = _login(client, "lanhdao.quemythanh")
    for kind in ("commune-meeting-minutes", "commune-opinions"):
        actions.upload_document(dossier, kind=kind, upload=ContentFile(PDF, name=f"{kind}.pdf"), by=user)
    page = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert "còn tiêu chí chưa đạt (1, 10, 13, 14)" in page
    assert 'name="confirm_unmet"' in page

    response = client.post(f"/dossiers/d/{dossier.pk}/step/", {"to": "submitted"}, follow=True)
    assert "hãy xác nhận rằng vẫn trình hồ sơ" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).step == "drafting"

    client.post(f"/dossiers/d/{dossier.pk}/step/", {"to": "submitted", "confirm_unmet": "yes"})
    assert Dossier.objects.get(pk=dossier.pk).step == "submitted"
    page = client.get(f"/dossiers/d/{dossier.pk}/").content.decode()
    assert "không còn cấp huyện" in page
    assert "huyện thực hiện" not in page  # returning it is the province office's job now
