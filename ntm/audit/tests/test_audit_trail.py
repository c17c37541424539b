"""Every kind of write leaves an audit entry saying who, when, from which address, before → after, and the
unit it concerns: figures and verdicts (one by one and in bulk), catalog versions, groups, assignments,
inspections, dossier steps, conditions and documents, roles, tokens."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import Membership, Role
from ntm.api.actions import create_token
from ntm.audit.context import acting
from ntm.audit.models import AuditEntry
from ntm.figures.actions import FigureInput, record_figures
from ntm.figures.models import Figure
from ntm.recognition import actions as dossiers
from ntm.recognition.checklists import checklist
from ntm.units.actions import Decision, classify
from ntm.units.models import Unit
from ntm.workflow import actions as work

IP = "198.51.100.77"
QMT = "c28084"
NTMNC = "commune-ntmnc-2021-2025"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")


def user(name: str):
    return get_user_model().objects.get(username=name)


def unit(key: str) -> Unit:
    return Unit.objects.get(key=key)


def entries(model: str, action=None, **filters):
    rows = AuditEntry.objects.filter(content_type__model=model, **filters)
    return rows.filter(action=action) if action is not None else rows


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_figure_saved_through_the_api_records_the_token_user_address_value_and_commune(client, demo):
    token = create_token(user("canbo.quemythanh"))[1]
    current = Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024,
                                 superseded_at__isnull=True)
    answer = client.post("/api/figures", json.dumps({"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1",
                                                     "year": 2024, "value": "71.5", "expected_current": current.pk}),
                         content_type="application/json", headers={"Authorization": f"Bearer {token}"},
                         REMOTE_ADDR=IP)
    assert answer.status_code == 201, answer.content
    new = entries("figure", AuditEntry.Action.CREATE, object_id=answer.json()["id"]).get()
    assert (new.actor.username, new.remote_addr, new.unit.key) == ("canbo.quemythanh", IP, QMT)
    assert new.changes["value"][1] == "71.5"
    superseded = entries("figure", AuditEntry.Action.UPDATE, object_id=current.pk).get()
    assert superseded.changes["superseded_at"][0] == "None" and superseded.actor.username == "canbo.quemythanh"


def test_figures_and_verdicts_written_in_bulk_are_each_recorded(demo):
    verdict = Figure.objects.filter(unit__key=QMT, verdict__isnull=False, superseded_at__isnull=True).first()
    number = Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024,
                                superseded_at__isnull=True)
    qmt, by = unit(QMT), user("vpdp.tantru")
    before = AuditEntry.objects.count()
    with acting(by, remote_addr=IP):
        record_figures([
            FigureInput(unit=qmt, criteria_set=verdict.criteria_set, indicator=verdict.indicator, year=verdict.year,
                        verdict=not verdict.verdict, judged_by="Đoàn kiểm tra huyện"),
            FigureInput(unit=qmt, criteria_set=NTMNC, indicator="10.1", year=2024, value=Decimal("70")),
        ], by=by)
    assert AuditEntry.objects.count() == before + 4  # two new rows, two superseded
    judged = entries("figure", AuditEntry.Action.CREATE, object_repr__contains=f":{verdict.indicator} ").latest("pk")
    assert judged.changes["verdict"] == ["None", str(not verdict.verdict)]
    assert (judged.actor, judged.remote_addr, judged.unit.key) == (by, IP, QMT)
    assert entries("figure", AuditEntry.Action.UPDATE, object_id=number.pk).get().unit.key == QMT


def test_a_catalog_version_drafted_on_the_workbench_is_recorded(client, demo):
    client.force_login(user("quantri"))
    answer = client.post(reverse("catalogs:start"), {"source": "commune-ntm-2026-2030"}, REMOTE_ADDR=IP)
    assert answer.status_code == 302
    created = entries("catalogversion", AuditEntry.Action.CREATE).latest("pk")
    assert created.actor.username == "quantri" and created.remote_addr == IP
    assert created.changes["state"][1] == "draft"


def test_a_province_layer_version_is_recorded_under_the_province_it_names(demo):
    from ntm.catalogs.models import CatalogVersion, Kind

    layer = CatalogVersion.objects.filter(kind=Kind.LAYER, text__contains="p80").first()
    assert layer is not None  # the demo's layers are Long An's (p80)
    with acting(user("quantri"), remote_addr=IP):
        layer.note = "Ghi chú mới"
        layer.save(update_fields=["note"])
    assert entries("catalogversion", AuditEntry.Action.UPDATE, object_id=layer.pk).get().unit.key == "p80"


def test_a_group_decision_records_the_classification_and_the_communes_group_before_and_after(demo_2026):
    commune = Unit.objects.filter(parent__key="p80-2025", kind="commune").order_by("key").first()
    old = commune.commune_group
    new = "G3" if old != "G3" else "G1"
    with acting(user("vpdp.tayninh"), remote_addr=IP):
        classify([commune], "commune_group", new, decision=Decision("99/QĐ-UBND", date(2026, 1, 5), "UBND tỉnh"),
                 valid_from=date(2026, 1, 5), by=user("vpdp.tayninh"))
    changed = entries("unit", AuditEntry.Action.UPDATE, object_id=commune.pk).latest("pk")
    assert changed.changes["commune_group"] == [old, new]
    assert changed.actor.username == "vpdp.tayninh" and changed.unit_id == commune.pk
    decision = entries("classification", AuditEntry.Action.CREATE, unit=commune).latest("pk")
    assert decision.changes["decision_number"][1] == "99/QĐ-UBND"


def test_assignments_inspections_and_findings_are_recorded(demo):
    district, qmt, by = unit("d805"), unit(QMT), user("vpdp.tantru")
    now = timezone.now()
    with acting(by, remote_addr=IP):
        work.assign(work.AssignmentInput(unit=qmt, criteria_set=NTMNC, year=2024, criterion="10",
                                         responsible=user("canbo.quemythanh"), note="Hoàn thiện số liệu thu nhập"),
                    by=by, now=now)
        inspection = work.create_inspection(district=district, title="Kiểm tra quý II", date=date(2024, 6, 1),
                                            team="Đoàn huyện", communes=[qmt], by=by, now=now)
        work.add_finding(inspection=inspection, commune=qmt, text="Thiếu biên bản nghiệm thu")
    assert entries("assignment", AuditEntry.Action.CREATE, unit=qmt).get().actor == by
    assert entries("inspection", AuditEntry.Action.CREATE).get().unit == district
    m2m = entries("inspection", AuditEntry.Action.UPDATE).get()
    assert m2m.changes["communes"]["objects"] == [str(qmt)]
    finding = entries("finding", AuditEntry.Action.CREATE).get()
    assert finding.changes["text"][1] == "Thiếu biên bản nghiệm thu" and finding.unit == qmt


def test_dossier_steps_conditions_and_documents_are_recorded(demo):
    qmt, official = unit(QMT), user("canbo.quemythanh")
    today = date(2024, 6, 20)
    with acting(official, remote_addr=IP):
        dossier = dossiers.open_dossier(qmt, level="ntmnc", year=2024, by=official)
        dossiers.set_conditions(dossier, by=official, satisfaction_rate=Decimal("92.5"), security_ok=True)
        for doc in checklist():
            if doc.step == "submitted":
                dossiers.upload_document(dossier, kind=doc.code, upload=ContentFile(PDF, name=f"{doc.code}.pdf"),
                                         by=official, today=today)
        dossiers.advance_dossier(dossier, to="submitted", by=official, comment="Trình huyện", today=today)
    conditions = entries("dossier", AuditEntry.Action.UPDATE, object_id=dossier.pk,
                         changes__has_key="satisfaction_rate").get()
    assert conditions.changes["satisfaction_rate"] == ["None", "92.5"] and conditions.unit == qmt
    step = entries("dossier", AuditEntry.Action.UPDATE, object_id=dossier.pk, changes__has_key="step").get()
    assert step.changes["step"] == ["drafting", "submitted"] and step.remote_addr == IP
    assert entries("dossierevent", AuditEntry.Action.CREATE, unit=qmt).count() == 2
    document = entries("dossierdocument", AuditEntry.Action.CREATE, unit=qmt).first()
    assert document.actor == official and document.changes["original_name"][1].endswith(".pdf")


def test_a_role_granted_in_the_admin_is_recorded_with_the_administrator_and_address(client, demo):
    client.force_login(user("quantri"))
    answer = client.post("/admin/accounts/membership/add/", {
        "user": user("canbo.binhtrinhdong").pk, "role": Role.COMMUNE_LEADER, "unit": unit("c28090").pk,
        "department": "", "title": "Phó Chủ tịch UBND xã"}, REMOTE_ADDR=IP)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    granted = entries("membership", AuditEntry.Action.CREATE).latest("pk")
    assert (granted.actor.username, granted.remote_addr, granted.unit.key) == ("quantri", IP, "c28090")
    assert granted.changes["role"][1] == Role.COMMUNE_LEADER
    membership = Membership.objects.get(user__username="canbo.binhtrinhdong", role=Role.COMMUNE_LEADER)
    client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"}, REMOTE_ADDR=IP)
    assert entries("membership", AuditEntry.Action.DELETE, object_id=membership.pk).get().actor.username == "quantri"


def test_a_token_created_on_the_page_is_recorded_without_its_secret(client, demo):
    client.force_login(user("vpdp.tantru"))
    page = client.post("/accounts/tokens/", {"name": "he-thong-tinh", "days": "90"}, REMOTE_ADDR=IP)
    created = entries("apitoken", AuditEntry.Action.CREATE).get()
    assert created.actor.username == "vpdp.tantru" and created.unit.key == "d805"
    assert created.changes["name"][1] == "he-thong-tinh"
    shown = page.content.decode().split('class="new-token">')[1].split("<")[0]
    assert shown not in json.dumps(created.changes) and created.changes["key_hash"][1].count("*") > 10


def test_a_recognition_revoked_with_its_dossier_is_recorded(demo):
    from ntm.core.recognition import Step, path

    qmt, today = unit(QMT), date(2024, 6, 20)
    takers = {Step.SUBMITTED: user("canbo.quemythanh"), Step.VERIFIED: user("vpdp.tantru"),
              Step.APPRAISED: user("vpdp.longan"), Step.RECOGNISED: user("vpdp.longan")}
    dossier = dossiers.open_dossier(qmt, level="ntm", year=2024, by=takers[Step.SUBMITTED])
    dossiers.set_conditions(dossier, by=takers[Step.SUBMITTED], satisfaction_rate=Decimal("95"), security_ok=True)
    for step in path(today)[1:]:
        for doc in checklist():
            if doc.step == step:
                dossiers.upload_document(dossier, kind=doc.code, upload=ContentFile(PDF, name=f"{doc.code}.pdf"),
                                         by=takers[step], today=today)
        dossier = dossiers.advance_dossier(dossier, to=step, by=takers[step], comment="ok", today=today,
                                           decision_number="123/QĐ-UBND", decision_date=date(2024, 6, 10))
        if step == Step.RECOGNISED:
            break
    with acting(takers[Step.RECOGNISED], remote_addr=IP):
        dossiers.advance_dossier(dossier, to=Step.REVOKED, by=takers[Step.RECOGNISED], comment="Không duy trì",
                                 today=date(2024, 12, 1))
    revoked = entries("recognition", AuditEntry.Action.UPDATE, unit=qmt).get()
    assert revoked.changes["revoked_on"] == ["None", "2024-12-01"]
    assert (revoked.actor.username, revoked.remote_addr) == ("vpdp.longan", IP)
