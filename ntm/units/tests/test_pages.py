"""The province's classification pages: the list, setting a group for several communes, the decision list
uploaded as a workbook (preview, confirm; a bad row refuses everything), and who may do it."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Classification

from .conftest import GROUP_SET, build_user

DECISION = {"decision_number": "88/QĐ-UBND", "decision_date": "2026-02-20", "decision_issuer": "UBND tỉnh",
            "valid_from": "2026-03-01"}


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def workbook(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh sách xã theo Quyết định 88/QĐ-UBND"])
    ws.append([])
    ws.append(["STT", "Tên xã", "Mã xã", "Nhóm xã", "Xã miền núi"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "danh-sach.xlsx"
    return out


def test_the_page_lists_the_communes_and_filters_those_without_a_group(client, province, communes, province_office):
    client.force_login(province_office)
    url = reverse("units:classification", args=[province.key])
    client.post(url, {"units": [communes[0].key], "commune_group": "G2", **DECISION})

    everyone = text_of(client.get(url))
    without = text_of(client.get(url, {"without": "1"}))

    assert "2 xã chưa có nhóm / 3 xã" in everyone
    assert "Xã nhóm 2" in everyone and "88/QĐ-UBND, từ 01/03/2026" in everyone
    assert "Bảo Lâm" in without and "Đạ Huoai" not in without


def test_setting_a_group_for_two_communes_records_the_decision_and_re_evaluates(
        client, group_catalog, province, communes, province_office, django_capture_on_commit_callbacks):
    first, second, third = communes
    for commune in communes:
        Figure.objects.create(unit=commune, criteria_set=GROUP_SET, indicator="1.1", year=2026,
                              value=Decimal("70"), entered_at=timezone.now())
    refresh_results(2026)
    client.force_login(province_office)
    url = reverse("units:classification", args=[province.key])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"units": [first.key, second.key], "commune_group": "G2", **DECISION},
                               follow=True)

    assert "Đã ghi 2 thay đổi cho 2 xã theo quyết định 88/QĐ-UBND" in text_of(response)
    groups = dict(type(first).objects.filter(pk__in=[c.pk for c in communes]).values_list("name", "commune_group"))
    assert groups == {"Đạ Huoai": "G2", "Bảo Lâm": "G2", "Di Linh": ""}
    record = Classification.objects.get(unit=first)
    assert (record.decision_number, record.decision_date, record.valid_from, record.recorded_by) == (
        "88/QĐ-UBND", date(2026, 2, 20), date(2026, 3, 1), province_office)
    met = dict(UnitResult.objects.filter(criteria_set=GROUP_SET, year=2026).values_list("unit__name", "met"))
    assert met == {"Đạ Huoai": 1, "Bảo Lâm": 1, "Di Linh": 0}  # 70 ≥ 60 for group 2; no group: no level
    commune_page = text_of(client.get(reverse("evaluation:commune", args=[first.key]),
                                      {"level": "ntm", "year": 2026}))
    assert "1/1" in commune_page
    job_link = re.search(r'<a href="(/catalog/jobs/\d+/)">Xem tiến độ đánh giá lại</a>', response.content.decode())
    assert job_link, "the office can follow the re-evaluation it started"
    job_page = text_of(client.get(job_link[1]))
    assert "Xong" in job_page
    province_page = client.get(reverse("evaluation:province", args=[province.key])).content.decode()
    assert f'href="{url}"' in province_page


def test_a_missing_decision_number_writes_nothing(client, province, communes, province_office):
    client.force_login(province_office)
    response = client.post(reverse("units:classification", args=[province.key]),
                           {"units": [communes[0].key], "commune_group": "G1", **DECISION, "decision_number": ""})
    assert "This field is required" in response.content.decode() or "Trường này là bắt buộc" in text_of(response)
    assert not Classification.objects.exists()


def test_the_template_lists_the_province_communes(client, province, communes, province_office):
    client.force_login(province_office)
    response = client.get(reverse("units:template", args=[province.key]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [ws.cell(row=4, column=c).value for c in (1, 2, 3)] == ["Mã xã", "Tên xã", "Nhóm xã (1/2/3)"]
    assert {ws.cell(row=r, column=2).value for r in (5, 6, 7)} == {"Xã Đạ Huoai", "Xã Bảo Lâm", "Xã Di Linh"}


def test_an_uploaded_list_is_previewed_then_applied(client, province, communes, province_office):
    client.force_login(province_office)
    url = reverse("units:upload", args=[province.key])
    rows = [[1, "Đạ Huoai", None, "Nhóm 3", "x"], [2, "xa bao lam", None, 1, None],
            [3, None, communes[2].code, "G2", None]]

    preview = client.post(url, {"file": workbook(rows), **DECISION})
    html = text_of(preview)
    assert "Xem trước: 4 dòng ghi (4 thay đổi)" in html
    assert not Classification.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    done = client.post(reverse("units:confirm", args=[province.key]), {"token": token}, follow=True)

    assert "Đã ghi 4 thay đổi cho 3 xã" in text_of(done)
    groups = dict(type(communes[0]).objects.filter(pk__in=[c.pk for c in communes])
                  .values_list("name", "commune_group"))
    assert groups == {"Đạ Huoai": "G3", "Bảo Lâm": "G1", "Di Linh": "G2"}
    communes[0].refresh_from_db()
    assert communes[0].mountain


def test_a_bad_row_refuses_the_whole_list_and_names_row_and_column(client, province, communes, province_office):
    client.force_login(province_office)
    rows = [[1, "Đạ Huoai", None, 3, None], [2, "Bảo Lộc", None, 2, None], [3, "Di Linh", None, "nhóm 5", "có lẽ"]]

    html = text_of(client.post(reverse("units:upload", args=[province.key]), {"file": workbook(rows), **DECISION}))

    assert "Tệp có 3 lỗi; chưa ghi gì" in html
    assert "dòng 5, cột B: không có xã tên “Bảo Lộc” trong Tỉnh Lâm Đồng" in html
    assert "dòng 6, cột D: “nhóm 5” không phải nhóm xã" in html
    assert "dòng 6, cột E: “có lẽ” không đọc được" in html
    assert 'name="token"' not in html
    assert not Classification.objects.exists()


def test_an_ambiguous_name_is_refused_with_the_codes(client, province, communes, province_office):
    from .conftest import build_commune

    twin = build_commune("Đạ Huoai", province)
    client.force_login(province_office)
    html = text_of(client.post(reverse("units:upload", args=[province.key]),
                               {"file": workbook([[1, "Đạ Huoai", None, 1, None]]), **DECISION}))
    assert f"có 2 xã tên “Đạ Huoai” (mã {communes[0].code}, {twin.code}); hãy ghi mã xã" in html


def test_only_the_province_office_and_administrators_may_classify(client, province, communes):
    district_office = build_user("vpdp.huyen", Role.DISTRICT_OFFICE, province)
    other_province = build_user("vpdp.khac", Role.PROVINCE_OFFICE, communes[0])
    url = reverse("units:classification", args=[province.key])

    client.force_login(district_office)
    page = client.get(url).content.decode()
    assert "Đạ Huoai" in page and 'name="units"' not in page and "template.xlsx" not in page
    assert client.post(url, {"units": [communes[0].key], "commune_group": "G1", **DECISION}).status_code == 403
    assert client.get(reverse("units:upload", args=[province.key])).status_code == 403
    client.force_login(other_province)
    assert client.get(url).status_code == 403
    assert not Classification.objects.exists()


def test_the_page_and_its_errors_read_in_english(client, province, communes, province_office):
    client.force_login(province_office)
    listing, upload = (reverse(f"units:{name}", args=[province.key]) for name in ("classification", "upload"))
    page = text_of(client.get("/en" + listing))
    assert "3 communes without a group / 3 communes" in page
    assert "Record for the selected communes" in page
    rows = [[1, "Nowhere", None, 1, None]]
    html = text_of(client.post("/en" + upload, {"file": workbook(rows), **DECISION}))
    assert "no commune named “Nowhere” in Tỉnh Lâm Đồng" in html


def test_a_merged_province_says_groups_are_for_the_new_communes(client, db):
    from ntm.units.models import Kind, Unit

    long_an = Unit.objects.create(key="p80", code="80", name="Long An", division_type="tỉnh", kind=Kind.PROVINCE,
                                  valid_to=date(2025, 6, 30))
    client.force_login(build_user("vpdp.longan", Role.PROVINCE_OFFICE, long_an))
    text = text_of(client.get(reverse("units:classification", args=[long_an.key])))
    assert "Tỉnh Long An không còn từ ngày 01/7/2025 (sáp nhập)" in text
    assert "chưa có nhóm /" not in text
