"""Uploaded files live in the storage the environment names (README "Production"): servers on several hosts
share one (e.g. S3-compatible). A dossier document uploaded on the page is written there, never beside the
server, and its download is read back from there."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm import settings as project_settings
from ntm.recognition.models import Dossier, DossierDocument

# A one-page PDF that parses (uploads are parsed whole).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")
IN_MEMORY = "django.core.files.storage.InMemoryStorage"


def test_the_storage_and_its_options_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NTM_FILE_STORAGE", "storages.backends.s3.S3Storage")
    keys = tmp_path / "storage.json"
    keys.write_text('{"bucket_name": "ntm", "endpoint_url": "https://s3.example.gov.vn", "secret_key": "k"}')
    monkeypatch.setenv("NTM_FILE_STORAGE_OPTIONS_FILE", str(keys))  # keys from a file, as SECRET_KEY_FILE
    assert project_settings._file_storage() == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "ntm", "endpoint_url": "https://s3.example.gov.vn", "secret_key": "k"}}


def test_by_default_uploads_go_to_the_media_folder(monkeypatch):
    monkeypatch.delenv("NTM_FILE_STORAGE", raising=False)
    monkeypatch.delenv("NTM_FILE_STORAGE_OPTIONS", raising=False)
    assert project_settings._file_storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                "OPTIONS": {}}


@pytest.mark.parametrize(("raw", "says"), [("bucket=ntm", "not JSON"), ('["ntm"]', "expected a JSON object")])
def test_malformed_options_name_the_variable(monkeypatch, raw, says):
    monkeypatch.setenv("NTM_FILE_STORAGE_OPTIONS", raw)
    with pytest.raises(ImproperlyConfigured, match=f"NTM_FILE_STORAGE_OPTIONS: {says}"):
        project_settings._file_storage()


def test_a_document_uploaded_on_the_page_is_stored_and_served_by_the_configured_storage(client, demo, settings,
                                                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path / "beside-the-server"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": IN_MEMORY}}
    official = get_user_model().objects.get(username="canbo.quemythanh")
    client.force_login(official)
    client.post("/dossiers/c28084/", {"level": "ntm", "year": "2024"})
    dossier = Dossier.objects.get()
    client.post(f"/dossiers/d/{dossier.pk}/files/", {"kind": "commune-report",
                                                     "file": SimpleUploadedFile("bao-cao.pdf", PDF)})

    doc = DossierDocument.objects.get(dossier=dossier)
    assert type(default_storage._wrapped).__name__ == "InMemoryStorage"
    with default_storage.open(doc.file.name) as stored:
        assert stored.read() == PDF
    assert not (tmp_path / "beside-the-server").exists(), "nothing is written beside the server"

    response = client.get(f"/dossiers/d/{dossier.pk}/files/{doc.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
