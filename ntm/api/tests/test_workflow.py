"""Assignments and recognition dossiers: read-only lists scoped like every other read."""

import pytest

from .conftest import BTD, QMT, TAN_TRU


@pytest.fixture
def workflow_demo(demo, settings, tmp_path):
    from ntm.recognition.demo import create_demo_dossiers
    from ntm.workflow.demo import create_demo_assignments

    settings.MEDIA_ROOT = tmp_path  # the demo dossiers carry uploaded files
    create_demo_assignments()
    create_demo_dossiers()


@pytest.mark.parametrize(("path", "field"), [("/api/assignments", "unit"), ("/api/dossiers", "commune")])
def test_the_district_office_sees_every_communes_rows(as_caller, office_tan_tru, workflow_demo, path, field):
    rows = as_caller(office_tan_tru).get(path, parent=TAN_TRU, page_size=500).json()["items"]
    assert {QMT, BTD} <= {r[field] for r in rows}


@pytest.mark.parametrize(("path", "field"), [("/api/assignments", "unit"), ("/api/dossiers", "commune")])
def test_a_commune_official_sees_only_its_own_commune(as_caller, official_btd, workflow_demo, path, field):
    caller = as_caller(official_btd)
    rows = caller.get(path, page_size=500).json()["items"]
    assert {r[field] for r in rows} <= {BTD}
    assert caller.get(path, **{field: QMT}).status_code == 403


def test_assignments_filter_by_person_and_criterion(as_caller, office_tan_tru, workflow_demo):
    rows = as_caller(office_tan_tru).get("/api/assignments", responsible="canbo.quemythanh",
                                         criterion="10").json()["items"]
    assert rows and {(r["unit"], r["criterion"], r["responsible"]) for r in rows} == {
        (QMT, "10", "canbo.quemythanh")}


def test_dossiers_filter_by_step(as_caller, office_tan_tru, workflow_demo):
    caller = as_caller(office_tan_tru)
    assert len(caller.get("/api/dossiers", step="drafting").json()["items"]) >= 3
    assert caller.get("/api/dossiers", step="recognised").json()["items"] == []
