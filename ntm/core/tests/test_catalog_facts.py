"""The production catalog holds facts only: every threshold value official with its document and the
places it was read, or null with the document to take it from; nothing invented for the demo. The
demo's levels come only from the demo's own layers, and only for Long An."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ntm.core.catalog import ANY, SourceStatus
from ntm.core.loader import load_catalog

CATALOG_DIR = Path(__file__).resolve().parents[3] / "catalog"  # settings.CATALOG_DIR; core imports no Django
DEMO_WORDS = re.compile(r"demo|illustrat|minh họa", re.IGNORECASE)


def _production_catalog():
    return load_catalog(CATALOG_DIR)


def _thresholds(catalog):
    """(where, threshold) for every threshold of every set and province layer of the catalog."""
    for cset in catalog.sets:
        for ind in cset.indicators:
            for t in ind.thresholds:
                yield f"{cset.id} {ind.code} {t.scope} {t.year}", t
    for layer in catalog.layers:
        for code, t in layer.thresholds:
            yield f"{layer.id} {code} {t.scope} {t.year}", t
        for _crit, ind in layer.indicators:
            for t in ind.thresholds:
                yield f"{layer.id} {ind.code} {t.scope} {t.year}", t
        for crit in layer.criteria:
            for ind in crit.indicators:
                for t in ind.thresholds:
                    yield f"{layer.id} {ind.code} {t.scope} {t.year}", t


def test_every_threshold_is_official_with_its_document_or_null_with_the_document_to_take_it_from():
    catalog = _production_catalog()
    wrong = []
    for where, t in _thresholds(catalog):
        doc = catalog.documents.get(t.source.document or "")
        if doc is None:
            wrong.append(f"{where}: no known document ({t.source.document!r})")
        elif t.value is not None and not (t.source.status is SourceStatus.OFFICIAL and t.source.urls):
            wrong.append(f"{where}: value {t.value} is {t.source.status.value}, or without the urls it was read in")
    assert wrong == []


def test_nothing_in_the_production_catalog_is_demo():
    catalog = _production_catalog()
    assert [layer.id for layer in catalog.layers if layer.demo] == []
    sources = [s.source for s in catalog.sets] + [c.source for s in catalog.sets for c in s.criteria]
    sources += [i.source for s in catalog.sets for i in s.indicators] + [t for _w, t in _thresholds(catalog)]
    assert not any(getattr(s, "source", s).status is SourceStatus.DEMO for s in sources)
    files = sorted(CATALOG_DIR.glob("*.yaml")) + sorted((CATALOG_DIR / "provinces").glob("*.yaml"))
    assert [p.name for p in files if DEMO_WORDS.search(p.read_text(encoding="utf-8"))] == []


def test_the_values_once_invented_for_the_demo_are_gone_from_the_national_sets():
    catalog = _production_catalog()

    def values(set_id: str, code: str) -> set:
        ind = next(i for i in catalog.get(set_id).indicators if i.code == code)
        return {t.value for t in ind.thresholds}

    assert values("commune-ntmnc-2021-2025", "10.1") == {None}  # was ĐBSCL 70 (2023) / 75 (2024)
    assert values("commune-ntmnc-2021-2025", "14.1") == {None}  # was ĐBSCL 95
    assert values("commune-ntmnc-2021-2025", "18.1") == {None}  # was 55 (low-confidence press report)
    assert values("commune-ntm-2021-2025", "10.1") == {None}  # was ĐBSCL 62 / 66
    assert values("commune-ntm-2021-2025", "15.1") == {None}  # was ĐBSCL 90
    assert values("commune-ntm-2021-2025", "17.1") == {None}  # was 20 (press range 15–20)
    assert values("commune-ntm-2021-2025", "3.1") == {None}  # '≥80%' printed without any region
    assert values("district-ntmnc-2021-2025", "D1.1") == {None}  # was 40


def test_stunting_keeps_the_sign_its_source_prints():
    ind = next(i for i in _production_catalog().get("commune-ntm-2021-2025").indicators if i.code == "15.3")
    assert ind.comparison.value == ">="
    assert ind.threshold_for("DBSCL", 2024).value == 19
    assert "≥" in ind.source.note and "ceiling" in ind.source.note


def test_long_an_specifies_the_ntmnc_set_under_its_own_decision_with_its_levels_still_to_transcribe():
    catalog = _production_catalog()
    resolved = catalog.resolve("commune-ntmnc-2021-2025", "p80", 2024)
    assert catalog.describe(resolved) == "Long An 8151/QĐ-UBND, trên nền 318/QĐ-TTg"
    assert resolved.demo is False
    income = next(i for i in resolved.indicators if i.code == "10.1").threshold_for("DBSCL", 2024)
    assert (income.value, income.source.document) == (None, "LA-NTMNC-8151-2022")
    assert catalog.documents["LA-NTMNC-8151-2022"].urls
    other = catalog.resolve("commune-ntmnc-2021-2025", "p79", 2024)
    assert other.layers == ()
    model = catalog.resolve("commune-model-2021-2025", "p80", 2024)
    assert catalog.describe(model) == "Long An 1926/QĐ-UBND, trên nền 319/QĐ-TTg"
    assert model.criteria == catalog.get("commune-model-2021-2025").criteria  # no provincial level was readable


def test_the_smartphone_indicator_and_the_special_district_set_are_in_the_catalog():
    catalog = _production_catalog()
    smartphones = next(i for i in catalog.get("commune-ntmnc-2021-2025").indicators if i.code == "8.1")
    assert [t.value for t in smartphones.thresholds] == [None] and "50%" in smartphones.thresholds[0].source.note
    special = catalog.get("district-special-2021-2025")
    assert (special.unit_kind.value, special.document) == ("district", "QD-211-TTg-2024")
    satisfaction = next(i for i in special.indicators if i.code == "S1.1")
    assert satisfaction.threshold_for(ANY, 2024).value == 90


@pytest.mark.django_db
def test_with_the_demo_loaded_long_an_gets_demo_levels_and_other_provinces_the_national_null(demo):
    from ntm.catalog_source import get_catalog
    from ntm.catalogs.models import CatalogVersion, State

    catalog = get_catalog()
    long_an = catalog.resolve("commune-ntmnc-2021-2025", "p80", 2024)
    assert long_an.demo is True
    income = next(i for i in long_an.indicators if i.code == "10.1")
    for year, level in ((2023, 68), (2024, 75)):
        t = income.threshold_for("DBSCL", year)
        assert (t.value, t.source.demo) == (level, True)
    assert income.threshold_for("DBSCL", 2023).value <= 71  # Châu Thành: NTMNC for 2023 at 71 M VND
    elsewhere = catalog.resolve("commune-ntmnc-2021-2025", "p82", 2024)  # Tiền Giang, also ĐBSCL
    t = next(i for i in elsewhere.indicators if i.code == "10.1").threshold_for("DBSCL", 2024)
    assert (t.value, t.source.demo, t.source.document) == (None, False, "QD-318-TTg-2022")
    stored = CatalogVersion.objects.filter(demo=True, state=State.PUBLISHED)
    assert set(stored.values_list("set_id", flat=True)) == {
        "demo-long-an-ntmnc-2021-2025", "demo-commune-ntm-2021-2025", "demo-district-ntmnc-2021-2025"}
