"""A workbook that would unpack to far more than it weighs (a zip bomb), or that holds thousands of parts,
is refused with a clear message before openpyxl opens it — on each Excel import: figures, the catalog
workbook and the province's classification list — and checking it costs little memory (only the zip
directory is read)."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import download, fill, upload

MIB = 1024 * 1024


def zip_bomb(unpacked_mib: int = 512) -> bytes:
    """An .xlsx-looking file of about half a megabyte whose sheet unpacks to `unpacked_mib` MiB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                                'content-types"/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * MIB
            for _ in range(unpacked_mib):
                sheet.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = zip_bomb()
    assert len(data) < 1 * MIB
    return data


def many_parts(count: int = 3000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(count):
            archive.writestr(f"xl/part{n}.xml", "")
    return out.getvalue()


def _peak_mib(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_figures_workbook_is_refused_without_unpacking_it(official_qmt, bomb):
    official_qmt.get("/exchange/c28084/import/")  # templates compiled, caches filled: not counted below
    response, peak = _peak_mib(lambda: upload(official_qmt, bomb))
    assert response.status_code == 200
    page = response.content.decode()
    assert "giải ra quá lớn" in page and "200 MB" in page
    assert "token" not in response.context  # nothing to confirm
    assert peak < 20, f"refusing a 0.5 MB upload took {peak:.0f} MiB"  # unpacked: 512 MiB


def test_a_workbook_with_thousands_of_parts_is_refused(official_qmt):
    page = upload(official_qmt, many_parts()).content.decode()
    assert "quá nhiều thành phần" in page and "2000" in page


def test_the_limits_come_from_settings(official_qmt, settings):
    settings.NTM_UPLOAD_MAX_UNZIPPED_BYTES = 10 * 1024  # smaller than a real template unpacks to
    data = fill(download(official_qmt), {})
    assert "giải ra quá lớn" in upload(official_qmt, data).content.decode()
    settings.NTM_UPLOAD_MAX_UNZIPPED_BYTES = 200 * MIB
    assert "giải ra quá lớn" not in upload(official_qmt, data).content.decode()


def test_a_real_template_still_imports(official_qmt):
    from openpyxl import load_workbook

    data = download(official_qmt)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0].title
    response = upload(official_qmt, fill(data, {(sheet, "10.1"): {"J": 71}}))
    assert response.context["plan"].ok and response.context["token"]


def test_a_zip_bomb_catalog_workbook_is_refused(admin, bomb):
    response = admin.post("/exchange/catalog/import/", {"file": SimpleUploadedFile("bo.xlsx", bomb)})
    assert response.status_code == 200
    assert "giải ra quá lớn" in response.content.decode()
    assert "token" not in response.context


def test_a_zip_bomb_classification_list_is_refused(demo_2026, client, bomb):
    client.force_login(get_user_model().objects.get(username="vpdp.tayninh"))
    response = client.post("/units/p80-2025/classification/upload/", {
        "file": SimpleUploadedFile("nhom.xlsx", bomb), "decision_number": "88/QĐ-UBND",
        "decision_date": "2026-02-20", "decision_issuer": "UBND tỉnh", "valid_from": "2026-03-01"})
    assert response.status_code == 200
    assert "giải ra quá lớn" in response.content.decode()


def test_the_refusal_reads_in_english(official_qmt, bomb):
    response = official_qmt.post("/en/exchange/c28084/import/", {"file": SimpleUploadedFile("b.xlsx", bomb)},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert "unpacks to too much" in response.content.decode()


def far_cells() -> bytes:
    """A tiny workbook with cells at A1 and XFD1048576: a reader that fills the block between them dies."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"], wb.active["XFD1048576"] = "x", "y"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_with_cells_far_apart_is_refused_before_it_is_read(official_qmt):
    response, peak = _peak_mib(lambda: upload(official_qmt, far_cells()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ô nằm quá xa" in page and "20.000" in page and "token" not in response.context
    assert peak < 20, f"refusing a tiny workbook took {peak:.0f} MiB"


def test_a_far_cell_in_a_real_template_is_refused_and_a_near_one_is_not(official_qmt):
    from openpyxl import load_workbook

    data = download(official_qmt)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0].title
    near = fill(data, {(sheet, "10.1"): {"J": 71, "P": "ghi chú bên lề"}})
    assert upload(official_qmt, near).context["plan"].ok
    wb = load_workbook(io.BytesIO(data))
    wb[sheet]["A30000"] = "?"
    out = io.BytesIO()
    wb.save(out)
    assert "ô nằm quá xa" in upload(official_qmt, out.getvalue()).content.decode()
