"""Dossier documents are checked whole before storage keeps them: names with invisible or
direction-changing characters, a name whose ending hides what the file is, a PDF that is HTML behind
`%PDF-`, an image that does not decode, an Office file that is not a complete package, a zip bomb.
Each refusal stores nothing and says why, in Vietnamese or English."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from ntm.exchange.tests.test_hostile_uploads import zip_bomb
from ntm.recognition import actions
from ntm.recognition.models import DossierDocument

from .conftest import BEFORE, PDF
from .test_documents import image, office, stored_files


@pytest.fixture
def dossier(qmt, people):
    return actions.open_dossier(qmt, level="ntmnc", year=2024, by=people.official)


def upload(dossier, by, data, name):
    return actions.upload_document(dossier, kind="commune-report", upload=ContentFile(data, name=name), by=by,
                                   today=BEFORE)


def refused(dossier, people, tmp_path, data, name) -> str:
    with pytest.raises(actions.UploadRefused) as caught:
        upload(dossier, people.official, data, name)
    assert not DossierDocument.objects.exists()
    assert stored_files(tmp_path) == []
    return str(caught.value)


@pytest.mark.parametrize(("name", "code"), [
    ("bao-cao\x00.pdf", "U+0000"),
    ("bao-cao\u202efdp.exe.pdf", "U+202E"),   # right-to-left override: shows as "bao-caofdp.exe…"
    ("bao\u200bcao.pdf", "U+200B"),           # zero-width space
])
def test_a_name_with_control_or_bidi_characters_is_refused(dossier, people, tmp_path, name, code):
    message = refused(dossier, people, tmp_path, PDF, name)
    assert "ký tự điều khiển hoặc ký tự vô hình" in message and code in message


@pytest.mark.parametrize("name", ["bao-cao.pdf.exe", "bao-cao"])
def test_a_name_whose_ending_does_not_match_the_content_is_refused(dossier, people, tmp_path, name):
    assert "phải có đuôi .pdf" in refused(dossier, people, tmp_path, PDF, name)


@pytest.mark.parametrize(("data", "name", "says"), [
    (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n", "bao-cao.pdf", "tệp PDF"),
    (b"%PDF-1.4\n%%EOF\n", "bao-cao.pdf", "tệp PDF"),
    (b"\x89PNG\r\n\x1a\n<html></html>", "anh.png", "ảnh PNG"),
    (image("PNG")[:40], "anh.png", "ảnh PNG"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"<html></html>", "cu.doc", "tệp Office cũ"),
])
def test_content_that_is_not_what_its_first_bytes_claim_is_refused(dossier, people, tmp_path, data, name, says):
    assert says in refused(dossier, people, tmp_path, data, name)


def test_an_office_file_without_its_main_part_is_refused(dossier, people, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # only names a Word document it does not hold
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    assert "tệp Word (.docx)" in refused(dossier, people, tmp_path, out.getvalue(), "bc.docx")


def test_a_damaged_part_inside_a_word_file_is_refused(dossier, people, tmp_path):
    data = bytearray(office("docx"))
    at = data.find(b"word/document.xml") + len("word/document.xml") + 10  # inside that part's packed bytes
    data[at] ^= 0xFF
    assert "tệp Word (.docx)" in refused(dossier, people, tmp_path, bytes(data), "bc.docx")


def test_an_image_too_large_to_decode_is_refused(dossier, people, tmp_path, settings):
    settings.NTM_UPLOAD_MAX_PIXELS = 10
    assert "ảnh quá lớn (4 × 3" in refused(dossier, people, tmp_path, image("PNG"), "anh.png")


def test_a_zip_bomb_is_refused_from_its_directory(dossier, people, tmp_path):
    bomb = zip_bomb(256)
    tracemalloc.start()
    try:
        message = refused(dossier, people, tmp_path, bomb, "bc.docx")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert "giải ra quá lớn" in message
    assert peak < 20, f"refusing the bomb took {peak:.0f} MiB"  # unpacked it is 256 MiB


def test_the_refusals_read_in_english(dossier, people, tmp_path):
    with translation.override("en"):
        assert "control or invisible character (U+202E)" in refused(dossier, people, tmp_path, PDF, "a\u202efdp.pdf")
        assert "not a valid PDF" in refused(dossier, people, tmp_path, b"%PDF-1.7\n<html></html>", "a.pdf")
        assert "must end in .pdf" in refused(dossier, people, tmp_path, PDF, "a.exe")


def test_real_files_of_each_kind_are_still_accepted(dossier, people):
    for data, name in [(PDF, "a.pdf"), (image("PNG"), "a.png"), (image("JPEG"), "a.jpeg"),
                       (office("docx"), "a.docx"), (office("xlsx"), "a.xlsx")]:
        assert upload(dossier, people.official, data, name).pk
