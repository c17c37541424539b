"""Uploads are judged by content and stored under generated names; downloads only for readers."""

from __future__ import annotations

import io
import re
import struct

import pytest
from django.core.files.base import ContentFile

from ntm.recognition import actions
from ntm.recognition.demo import create_demo_dossiers
from ntm.recognition.models import Dossier, DossierDocument

from .conftest import BEFORE, PDF


@pytest.fixture
def dossier(qmt, people):
    return actions.open_dossier(qmt, level="ntmnc", year=2024, by=people.official)


def upload(dossier, by, data, name, kind="commune-report"):
    return actions.upload_document(dossier, kind=kind, upload=ContentFile(data, name=name), by=by, today=BEFORE)


def stored_files(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "green").save(buffer, fmt)
    return buffer.getvalue()


def office(kind: str) -> bytes:
    """A real .docx or .xlsx, as Word or Excel would send it (the whole package is checked)."""
    buffer = io.BytesIO()
    if kind == "docx":
        from docx import Document

        Document().save(buffer)
    else:
        from openpyxl import Workbook

        Workbook().save(buffer)
    return buffer.getvalue()


def ole() -> bytes:
    """An old .doc/.xls container: a version-3 compound file header and two sectors."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    return header.ljust(512, b"\0") + b"\0" * 1024


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (PDF, "Báo cáo xã.pdf", "application/pdf"),
    (image("PNG"), "anh.png", "image/png"),
    (image("JPEG"), "anh.jpg", "image/jpeg"),
    (office("docx"), "bc.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (office("xlsx"), "bang.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (ole(), "cu.doc", "application/msword"),
    (ole(), "cu.xls", "application/vnd.ms-excel"),
])
def test_accepted_files_are_typed_by_content_and_stored_under_a_generated_name(dossier, people, tmp_path, data,
                                                                                  name, content_type):
    doc = upload(dossier, people.official, data, name)
    assert doc.content_type == content_type
    assert doc.original_name == name and doc.size == len(data)
    # A generated name: 32 hex digits and the extension of the detected type, never the uploader's name
    # (a bare `name not in path` check fails when the hex happens to end like the original name).
    assert re.fullmatch(rf"dossiers/{dossier.pk}/[0-9a-f]{{32}}\.[a-z]+", doc.file.name)
    assert stored_files(tmp_path) == [tmp_path / doc.file.name]


@pytest.mark.parametrize(("data", "name", "reason"), [
    (b"MZ\x90\x00\x03" + b"\x00" * 60, "bao-cao.pdf", "chương trình chạy được"),
    (b"\x7fELF\x02\x01\x01", "bao-cao.pdf", "chương trình chạy được"),
    (b"hello, plain text", "bao-cao.pdf", "nhận dạng theo nội dung"),
    (b"PK\x03\x04 not really a zip", "bao-cao.docx", "nhận dạng theo nội dung"),
    (PDF, "../../etc/passwd.pdf", "đường dẫn"),
    (PDF, "C:\\Windows\\bao-cao.pdf", "đường dẫn"),
    (PDF, "bao\x00cao.pdf", "ký tự điều khiển"),
])
def test_refused_uploads_store_nothing(dossier, people, tmp_path, data, name, reason):
    with pytest.raises(actions.UploadRefused, match=reason):
        upload(dossier, people.official, data, name)
    assert not DossierDocument.objects.exists()
    assert stored_files(tmp_path) == []


def test_an_oversized_file_is_refused(dossier, people, tmp_path, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(actions.UploadRefused, match="tệp quá lớn"):
        upload(dossier, people.official, PDF + b"x" * 2000, "lon.pdf")
    assert stored_files(tmp_path) == []


def test_only_the_taker_of_the_step_uploads_its_documents(dossier, people):
    with pytest.raises(actions.UploadRefused, match="cán bộ hoặc lãnh đạo xã"):
        upload(dossier, people.outsider, PDF, "a.pdf")
    with pytest.raises(actions.UploadRefused, match="không thể thêm"):
        upload(dossier, people.district, PDF, "a.pdf", kind="district-verification")


def test_completeness_counts_required_kinds(dossier, people):
    from ntm.recognition.selectors import completeness

    assert completeness(dossier, BEFORE) == 0
    upload(dossier, people.official, PDF, "a.pdf")
    upload(dossier, people.official, PDF, "photo.pdf", kind="commune-photos")  # optional: not counted
    assert completeness(dossier, BEFORE) == 10  # 1 of the 10 required kinds before 1/7/2025


def test_the_download_is_an_attachment_for_readers_and_refused_to_outsiders(client, dossier, people):
    doc = upload(dossier, people.official, PDF, "Báo cáo.pdf")
    url = f"/dossiers/d/{dossier.pk}/files/{doc.pk}/"
    client.force_login(people.district)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(people.outsider)
    assert client.get(url).status_code == 403


def test_demo_dossiers_are_drafting_ntmnc_2024_with_documents_missing(demo):
    assert create_demo_dossiers() == 4
    assert create_demo_dossiers() == 4  # idempotent
    dossiers = Dossier.objects.filter(is_demo=True)
    assert sorted(d.commune.key for d in dossiers) == ["c28084", "c28090", "c28096", "c28099"]
    assert {(d.level, d.year, d.step) for d in dossiers} == {("ntmnc", 2024, "drafting")}
    assert all(0 < d.documents.count() < 5 for d in dossiers)
