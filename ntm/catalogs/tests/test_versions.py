"""Versions of criteria sets: a draft is validated, a second person approves it, results follow."""

import pytest
import yaml
from django.contrib.auth import get_user_model

from ntm.catalog_source import get_catalog, reload_catalog, repository_texts, shadowed_versions
from ntm.catalogs.actions import VersionRefused, approve, create_draft, reject
from ntm.catalogs.models import State
from ntm.evaluation.models import RefreshJob, UnitResult
from ntm.evaluation.tests.conftest import build_commune, build_district, record

SET = "commune-ntm-2026-2030"


def users():
    make = get_user_model().objects.create_user
    return make("soan", password="x"), make("duyet", password="x")


def next_version(mutate=None, version="2026.99") -> str:
    raw = yaml.safe_load(repository_texts()[SET][1])
    raw["version"] = version
    if mutate:
        mutate(raw)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def add_indicator(raw):
    raw["criteria"][0]["indicators"].append({
        "code": "1.1", "name_vi": "Có quy hoạch chung xã", "name_en": "Commune master plan", "unit": "%",
        "comparison": ">=", "source": {"status": "official", "document": "QD-51-2025-QD-TTg",
                                        "urls": ["https://example.org/51"]},
        "thresholds": [{"scope": g, "value": v, "status": "official", "document": "QD-51-2025-QD-TTg",
                        "urls": ["https://example.org/51"]} for g, v in (("G1", 100), ("G2", 90), ("G3", 80))],
    })


def two_provinces():
    """A commune of Tây Ninh (which gets a layer) and one of Đồng Tháp (which does not)."""
    from ntm.evaluation.tests.conftest import build_province

    theirs = build_commune("Nhựt Tảo", build_district(province=build_province("Tây Ninh")))
    others = build_commune("Tân Hòa", build_district(province=build_province("Đồng Tháp")))
    return theirs, others


def tay_ninh_layer(commune, layer_id: str, doc: str, body: str) -> str:
    """A Tây Ninh layer over the 2026–2030 set, under decision `doc`; `body` holds its changes."""
    return f"""
schema: 1
id: {layer_id}
version: "2026.1"
base: {SET}
provinces: [{{key: {commune.parent.parent.key}, name: "Tây Ninh"}}]
name_vi: "Bộ tiêu chí xã nông thôn mới tỉnh Tây Ninh"
name_en: "Tây Ninh new-rural commune criteria"
document: {doc}
documents:
  - {{id: {doc}, number: "{doc}/2026/QĐ-UBND", title_vi: "Bộ tiêu chí tỉnh", urls: ["https://example.org/tn"]}}
effective_from: 2026-03-01
source: {{status: official, document: {doc}, urls: ["https://example.org/tn"]}}
""" + body


def test_a_draft_is_not_in_force_and_its_author_cannot_approve_it(db):
    author, approver = users()
    draft = create_draft(next_version(add_indicator), by=author)
    assert draft.state == State.DRAFT and draft.based_on == "2026.1"
    assert "1.1" not in {i.code for i in get_catalog().get(SET).indicators}
    with pytest.raises(VersionRefused, match="người thứ hai"):
        approve(draft, by=author)
    job = approve(draft, by=approver)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.approved_by == approver
    assert isinstance(job, RefreshJob) and job.set_ids == [SET]
    assert "1.1" in {i.code for i in get_catalog().get(SET).indicators}
    with pytest.raises(VersionRefused):
        approve(draft, by=approver)  # not a draft any more


def test_a_bad_draft_is_refused_with_every_problem_located_and_nothing_stored(db):
    author, _ = users()

    def break_it(raw):
        add_indicator(raw)
        ind = raw["criteria"][0]["indicators"][-1]
        ind["unit"] = "km/h"
        ind["thresholds"][0]["scope"] = "G4"

    with pytest.raises(VersionRefused) as err:
        create_draft(next_version(break_it), by=author)
    where = [p.render("en") for p in err.value.problems]
    assert any("indicator 1.1" in w and 'unit "km/h"' in w for w in where)
    assert any("indicator 1.1" in w and '"G4"' in w for w in where)
    from ntm.catalogs.models import CatalogVersion
    assert not CatalogVersion.objects.exists()


def test_a_draft_must_be_newer_than_the_version_in_force(db):
    author, _ = users()
    with pytest.raises(VersionRefused, match="phải mới hơn"):
        create_draft(next_version(version="2026.1"), by=author)


def test_a_rejection_needs_a_reason(db):
    author, approver = users()
    draft = create_draft(next_version(), by=author)
    with pytest.raises(VersionRefused):
        reject(draft, by=approver, note=" ")
    reject(draft, by=approver, note="Thiếu văn bản")
    assert draft.state == State.REJECTED


def test_publishing_re_evaluates_the_stored_results(db, django_capture_on_commit_callbacks):
    author, approver = users()
    commune = build_commune("Nhựt Tảo", build_district())
    commune.commune_group = "G2"
    commune.save()
    record(commune, SET, "1.1", 2026, value=95)  # a figure for an indicator the set does not have yet
    before = UnitResult.objects.get(unit=commune, criteria_set=SET, year=2026)
    draft = create_draft(next_version(add_indicator), by=author)
    with django_capture_on_commit_callbacks(execute=True):
        job = approve(draft, by=approver)
    job.refresh_from_db()
    assert job.state == RefreshJob.State.DONE and job.done == job.total == 1
    after = UnitResult.objects.get(unit=commune, criteria_set=SET, year=2026)
    assert after.set_version != before.set_version and after.set_version.startswith("2026.99")
    [ind] = [i for c in commune.criterion_results.filter(criteria_set=SET, year=2026, criterion="1")
             for i in c.indicators if i["code"] == "1.1"]
    assert ind["status"] == "met" and ind["threshold"] == "90"  # group 2's level


def test_a_published_version_older_than_the_repository_file_is_not_used(db):
    from ntm.catalogs.models import CatalogVersion

    CatalogVersion.objects.create(set_id=SET, version="2025.1", text=next_version(version="2025.1"),
                                  state=State.PUBLISHED, takes_effect="2026-01-01")
    reload_catalog()
    assert get_catalog().get(SET).version.startswith("2026.1")
    assert [(s.version, s.repository_version) for s in shadowed_versions()] == [("2025.1", "2026.1")]


def test_publishing_a_province_layer_changes_its_communes_results_only(db, django_capture_on_commit_callbacks):
    author, approver = users()
    theirs, others = two_provinces()
    for commune in (theirs, others):
        commune.commune_group = "G2"
        commune.save()
        record(commune, SET, "1.0", 2026, verdict=True, refresh=False)
        record(commune, SET, "1.1", 2026, value=95)
    draft = create_draft(next_version(add_indicator), by=author)
    with django_capture_on_commit_callbacks(execute=True):
        approve(draft, by=approver)
    layer = tay_ninh_layer(theirs, "tay-ninh-ntm-2026-2030", "TN1", """\
thresholds:
  - {indicator: "1.1", scope: G2, value: 98, status: official, document: TN1, urls: ["https://example.org/tn"]}
""")
    with django_capture_on_commit_callbacks(execute=True):
        approve(create_draft(layer, by=author), by=approver)

    def criterion_1(unit):
        return unit.criterion_results.get(criteria_set=SET, year=2026, criterion="1")

    assert criterion_1(theirs).status == "not_met"  # 95 < the province's 98
    assert criterion_1(others).status == "met"  # 95 ≥ the national 90
    assert "tay-ninh-ntm-2026-2030@2026.1" in UnitResult.objects.get(unit=theirs, criteria_set=SET).set_version


def test_an_indicator_a_province_adds_takes_figures_in_that_province_only(db, django_capture_on_commit_callbacks):
    from ntm.figures.actions import FigureInput, FigureRejected, record_figure

    author, approver = users()
    theirs, others = two_provinces()
    layer = tay_ninh_layer(theirs, "tay-ninh-extra", "TN2", """\
indicators:
  - criterion: "3"
    code: "3.9"
    name_vi: "Tỷ lệ hộ tham gia hợp tác xã"
    name_en: "Households in cooperatives"
    unit: "%"
    comparison: ">="
    source: {status: official, document: TN2, urls: ["https://example.org/tn"]}
    thresholds: [{scope: "*", value: 30, status: official, document: TN2, urls: ["https://example.org/tn"]}]
""")
    with django_capture_on_commit_callbacks(execute=True):
        approve(create_draft(layer, by=author), by=approver)
    record_figure(FigureInput(unit=theirs, criteria_set=SET, indicator="3.9", year=2026, value=35))
    [ind] = [i for i in theirs.criterion_results.get(criteria_set=SET, year=2026, criterion="3").indicators
             if i["code"] == "3.9"]
    assert ind["status"] == "met" and ind["threshold"] == "30"
    with pytest.raises(FigureRejected, match="3.9"):
        record_figure(FigureInput(unit=others, criteria_set=SET, indicator="3.9", year=2026, value=35))
