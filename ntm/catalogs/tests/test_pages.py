"""The workbench pages with the test client: who sees them, a draft edited field by field, problems shown
without saving, the author cannot approve, a second person does, the job re-evaluates stored results."""

import html
import re

import pytest
import yaml
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.catalogs.models import CatalogVersion, State
from ntm.evaluation.models import CriterionResult, RefreshJob, UnitResult

from .conftest import SET, YEAR, make_user


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def start_draft(client, user) -> CatalogVersion:
    client.force_login(user)
    response = client.post(reverse("catalogs:start"), {"source": SET})
    assert response.status_code == 302
    return CatalogVersion.objects.get(set_id=SET, state=State.DRAFT)


def indicator_post(code="1.1", criterion="1", g2="70", **extra):
    data = {"criterion": criterion, "code": code, "name_vi": "Tỷ lệ đường xã được cứng hóa",
            "name_en": "Paved commune roads", "comparison": ">=", "unit": "%", "department": "",
            "source_status": "official", "source_document": "QD-51-2025-QD-TTg",
            "source_urls": "https://example.org/51", "source_note": "",
            "t-TOTAL_FORMS": "3", "t-INITIAL_FORMS": "0", "t-MIN_NUM_FORMS": "0", "t-MAX_NUM_FORMS": "200"}
    for n, (scope, value) in enumerate([("G1", "90"), ("G2", g2), ("G3", "60")]):
        data.update({f"t-{n}-scope": scope, f"t-{n}-value": value, f"t-{n}-status": "official",
                     f"t-{n}-document": "QD-51-2025-QD-TTg", f"t-{n}-urls": "https://example.org/51",
                     f"t-{n}-year": "", f"t-{n}-note": ""})
    data.update(extra)
    return data


def test_a_commune_official_gets_403_and_no_link(client, official):
    client.force_login(official)
    assert client.get(reverse("catalogs:index")).status_code == 403
    assert client.post(reverse("catalogs:start"), {"source": SET}).status_code == 403
    home = client.get(reverse("evaluation:home"))
    assert reverse("catalogs:index") not in home.content.decode()


def test_the_province_office_sees_the_link_and_the_sets_in_force(client, office):
    client.force_login(office)
    response = client.get(reverse("catalogs:index"))
    assert response.status_code == 200
    text = text_of(response)
    assert SET in text and "51/2025/QĐ-TTg" in text and "15/02/2026" in text
    assert f'href="{reverse("catalogs:index")}"' in response.content.decode()


def test_the_whole_path_draft_edit_diff_second_person_approves_and_results_follow(
        client, office, admin, commune, django_capture_on_commit_callbacks):
    before = UnitResult.objects.get(unit=commune, criteria_set=SET, year=YEAR)
    assert CriterionResult.objects.get(unit=commune, criteria_set=SET, year=YEAR, criterion="1").status == "met"
    draft = start_draft(client, office)
    assert draft.version == "2026.2" and draft.based_on == "2026.1" and draft.created_by == office

    url = reverse("catalogs:indicator", args=[draft.pk])
    assert client.get(url + "?criterion=1").status_code == 200
    response = client.post(url, indicator_post())
    assert response.status_code == 302, text_of(response)
    page = text_of(client.get(reverse("catalogs:version", args=[draft.pk])))
    assert "Thêm 4, bỏ 0, sửa 0." in page  # the indicator and its three thresholds
    assert "Chỉ tiêu 1.1" in page and "Ngưỡng 1.1 G2" in page
    assert "Bạn là người soạn: chờ người thứ hai phê duyệt." in page
    assert "Phê duyệt và áp dụng" not in page
    refused = client.post(reverse("catalogs:approve", args=[draft.pk]), {})
    assert refused.status_code == 302
    draft.refresh_from_db()
    assert draft.state == State.DRAFT

    client.force_login(admin)
    page = text_of(client.get(reverse("catalogs:version", args=[draft.pk])))
    assert "Phê duyệt và áp dụng" in page
    with django_capture_on_commit_callbacks(execute=True):  # the job runs at commit (NTM_JOBS_INLINE)
        response = client.post(reverse("catalogs:approve", args=[draft.pk]), {"note": "Đúng Phụ lục I"})
    job = RefreshJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("catalogs:job", args=[job.pk])
    job_page = text_of(client.get(response["Location"]))
    assert "Xong" in job_page and "100%" in job_page
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approved_by == admin
    after = UnitResult.objects.get(unit=commune, criteria_set=SET, year=YEAR)
    assert (before.met, after.met) == (1, 0)  # 50 % is below group 2's 70 %
    assert "2026.2" in after.set_version
    criterion = CriterionResult.objects.get(unit=commune, criteria_set=SET, year=YEAR, criterion="1")
    assert criterion.status == "not_met"
    assert {i["code"]: i["threshold"] for i in criterion.indicators}["1.1"] == "70"


def test_a_refused_edit_saves_nothing_and_names_the_indicator(client, office):
    draft = start_draft(client, office)
    text = draft.text
    data = indicator_post(**{"t-2-scope": "", "t-2-value": ""})  # no threshold for group 3
    response = client.post(reverse("catalogs:indicator", args=[draft.pk]), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "Chưa lưu" in page
    assert 'chỉ tiêu 1.1: thiếu ngưỡng cho vùng/nhóm "G3"' in page
    draft.refresh_from_db()
    assert draft.text == text


def test_a_form_error_is_shown_next_to_the_field(client, office):
    draft = start_draft(client, office)
    response = client.post(reverse("catalogs:indicator", args=[draft.pk]), indicator_post(code="1 1"))
    assert "Mã chỉ tiêu không được có khoảng trắng." in text_of(response)


def test_edit_as_yaml_checks_with_the_loader(client, office):
    draft = start_draft(client, office)
    bad = draft.text.replace("comparison: met", "comparison: maybe", 1)
    response = client.post(reverse("catalogs:yaml", args=[draft.pk]), {"text": bad})
    assert 'phép so sánh "maybe" không hợp lệ' in text_of(response)
    good = draft.text.replace("name_en: Planning", "name_en: Spatial planning", 1)
    assert good != draft.text
    assert client.post(reverse("catalogs:yaml", args=[draft.pk]), {"text": good}).status_code == 302
    draft.refresh_from_db()
    assert "Spatial planning" in draft.text


def test_export_yaml_downloads_the_version(client, office):
    draft = start_draft(client, office)
    response = client.get(reverse("catalogs:export", args=[draft.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{SET}@2026.2.yaml"'
    assert response.content.decode() == draft.text
    workbook = client.get(reverse("catalogs:export_workbook", args=[draft.pk]))
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"  # an .xlsx (zip)
    assert workbook["Content-Disposition"] == f'attachment; filename="{SET}@2026.2.xlsx"'


def test_reject_needs_a_reason_and_history_lists_who_and_when(client, office, admin):
    draft = start_draft(client, office)
    client.force_login(admin)
    client.post(reverse("catalogs:reject", args=[draft.pk]), {"note": ""})
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    client.post(reverse("catalogs:reject", args=[draft.pk]), {"note": "Thiếu văn bản"})
    draft.refresh_from_db()
    assert draft.state == State.REJECTED and draft.decision_note == "Thiếu văn bản"
    page = text_of(client.get(reverse("catalogs:history", args=[SET])))
    assert "Bị trả lại" in page and "vpdp.longan" in page and "quantri" in page and "Thiếu văn bản" in page


def test_a_province_office_creates_a_layer_only_for_its_own_province(client, office, tay_ninh, long_an):
    client.force_login(office)
    data = {"base": SET, "province": "p80", "layer_id": "long-an-ntm-2026-2030", "name_vi": "Bộ tiêu chí Long An",
            "name_en": "Long An criteria", "effective_from": "2026-03-01", "doc_id": "LA-NTM-1-2026",
            "number": "1/QĐ-UBND", "title_vi": "Bộ tiêu chí xã NTM tỉnh Long An", "signed": "2026-03-01",
            "urls": "https://example.org/la"}
    page = client.get(reverse("catalogs:new_layer"))
    assert 'value="p80"' in page.content.decode() and 'value="p72"' not in page.content.decode()
    refused = client.post(reverse("catalogs:new_layer"), {**data, "province": "p72"})
    assert refused.status_code == 200 and not CatalogVersion.objects.exists()
    response = client.post(reverse("catalogs:new_layer"), data)
    assert response.status_code == 302, text_of(response)
    layer = CatalogVersion.objects.get(set_id="long-an-ntm-2026-2030")
    assert layer.kind == "layer" and layer.base == SET
    # a base indicator's level raised by the layer: only the threshold line is written
    url = reverse("catalogs:indicator", args=[layer.pk]) + "?code=1.0"
    assert client.get(url).status_code == 200


def test_a_second_office_of_the_province_approves_a_layer_but_only_an_admin_a_national_set(
        client, office, second_office, admin):
    draft = start_draft(client, office)
    client.force_login(second_office)
    assert "Phê duyệt và áp dụng" not in text_of(client.get(reverse("catalogs:version", args=[draft.pk])))
    assert client.post(reverse("catalogs:approve", args=[draft.pk]), {}).status_code == 403


@pytest.mark.parametrize("lang", ["en"])
def test_the_pages_read_in_english(client, office, lang):
    client.force_login(office)
    response = client.get("/en" + reverse("catalogs:index"))
    assert "Criteria catalog" in text_of(response)


def test_a_running_job_polls_every_two_seconds_and_a_finished_one_stops(client, office):
    client.force_login(office)
    job = RefreshJob.objects.create(reason="Phê duyệt x phiên bản 2", state=RefreshJob.State.RUNNING, done=1, total=4)
    page = client.get(reverse("catalogs:job", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert "Đang chạy" in text_of(page) and "25%" in text_of(page) and "1/4 năm" in text_of(page)
    RefreshJob.objects.filter(pk=job.pk).update(state=RefreshJob.State.FAILED, error="hỏng")
    partial = client.get(reverse("catalogs:job", args=[job.pk]), headers={"HX-Request": "true"})
    html_text = partial.content.decode()
    assert "<html" not in html_text and "every 2s" not in html_text
    assert "Lỗi" in text_of(partial) and "hỏng" in text_of(partial)


def _layer(client, office, base="commune-ntm-2021-2025") -> CatalogVersion:
    client.force_login(office)
    client.post(reverse("catalogs:new_layer"), {
        "base": base, "province": "p80", "layer_id": "long-an-test", "name_vi": "Lớp thử Long An",
        "name_en": "Long An test layer", "effective_from": "2024-01-01", "doc_id": "LA-TEST-1", "number": "9/QĐ-UBND",
        "title_vi": "Quyết định thử", "signed": "2024-01-01", "urls": "https://example.org/la"})
    return CatalogVersion.objects.get(set_id="long-an-test")


def _as_post(response) -> dict:
    """The indicator form as the page shows it, ready to post back."""
    form, formset = response.context["form"], response.context["formset"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    rows = formset.initial
    data.update({"t-TOTAL_FORMS": str(len(rows)), "t-INITIAL_FORMS": "0", "t-MIN_NUM_FORMS": "0",
                 "t-MAX_NUM_FORMS": "200"})
    for n, row in enumerate(rows):
        data.update({f"t-{n}-{k}": ("" if v is None else v) for k, v in row.items()})
    return data


def test_a_layer_raises_a_base_level_with_one_threshold_line(client, office):
    layer = _layer(client, office)
    url = reverse("catalogs:indicator", args=[layer.pk]) + "?code=10.1"
    shown = client.get(url)
    assert "Chỉ tiêu của bộ nền" in text_of(shown)
    data = _as_post(shown)
    row = next(n for n in range(int(data["t-TOTAL_FORMS"])) if not data.get(f"t-{n}-scope"))  # a blank row
    data.update({f"t-{row}-scope": "DBSCL", f"t-{row}-value": "80", f"t-{row}-status": "official",
                 f"t-{row}-document": "LA-TEST-1", f"t-{row}-urls": "https://example.org/la",
                 f"t-{row}-year": "", f"t-{row}-note": ""})
    response = client.post(url, data)
    assert response.status_code == 302, text_of(response)
    layer.refresh_from_db()
    raw = yaml.safe_load(layer.text)
    assert raw["indicators"] == []
    assert [(t["indicator"], t["scope"], t["value"], t["document"]) for t in raw["thresholds"]] == [
        ("10.1", "DBSCL", 80, "LA-TEST-1")]


def test_a_second_office_of_the_same_province_approves_a_layer(client, office, second_office, tay_ninh):
    layer = _layer(client, office)
    client.force_login(second_office)
    assert "Phê duyệt và áp dụng" in text_of(client.get(reverse("catalogs:version", args=[layer.pk])))
    other = make_user("vpdp.tayninh", Role.PROVINCE_OFFICE, tay_ninh)
    client.force_login(other)
    assert "Phê duyệt và áp dụng" not in text_of(client.get(reverse("catalogs:version", args=[layer.pk])))
    assert client.post(reverse("catalogs:approve", args=[layer.pk]), {}).status_code == 403


def test_removing_an_indicator_and_a_criterion_goes_through_the_loaders_checks(client, office):
    draft = start_draft(client, office)
    client.post(reverse("catalogs:indicator", args=[draft.pk]), indicator_post())
    response = client.post(reverse("catalogs:remove_indicator", args=[draft.pk]), {"code": "1.1"}, follow=True)
    assert "Đã bỏ chỉ tiêu 1.1." in text_of(response)
    draft.refresh_from_db()
    assert "1.1" not in {i["code"] for c in yaml.safe_load(draft.text)["criteria"] for i in c["indicators"]}
    # the criterion's last indicator: the loader refuses a criterion without indicators, nothing saved
    response = client.post(reverse("catalogs:remove_indicator", args=[draft.pk]), {"code": "1.0"}, follow=True)
    assert "Đã bỏ chỉ tiêu 1.0." not in text_of(response)
    draft.refresh_from_db()
    assert "1.0" in {i["code"] for c in yaml.safe_load(draft.text)["criteria"] for i in c["indicators"]}
    response = client.post(reverse("catalogs:remove_criterion", args=[draft.pk]), {"code": "10"}, follow=True)
    assert "Đã bỏ tiêu chí 10." in text_of(response)
    draft.refresh_from_db()
    assert [c["code"] for c in yaml.safe_load(draft.text)["criteria"]] == [str(n) for n in range(1, 10)]
