"""Which unit an audited object concerns (so a province office reads its province's entries), the audit page's
filters applied to hand-made entries, and the export rows — on a small hand-built tree, no demo."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import Membership, Role
from ntm.api.actions import create_token
from ntm.audit import export
from ntm.audit.forms import LOGINS, AuditFilter
from ntm.audit.models import AuditEntry
from ntm.audit.scope import home_unit_id, unit_id_of
from ntm.recognition.models import MergerDecision
from ntm.units.models import Kind, Succession, Unit

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def tree():
    province = Unit.objects.create(key="p99", code="99", name="Thử", division_type="tỉnh", kind=Kind.PROVINCE)
    district = Unit.objects.create(key="d999", code="999", name="Cũ", division_type="huyện", kind=Kind.DISTRICT,
                                   parent=province)
    commune = Unit.objects.create(key="c99901", code="99901", name="An Hòa", division_type="xã", kind=Kind.COMMUNE,
                                  parent=district)
    other = Unit.objects.create(key="p98", code="98", name="Bên", division_type="tỉnh", kind=Kind.PROVINCE)
    return province, district, commune, other


def person(username: str, *roles: tuple[str, Unit | None]):
    user = get_user_model().objects.create_user(username)
    for role, unit in roles:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


# --- The unit an object concerns --------------------------------------------------------------------------------


def test_a_unit_concerns_itself_and_nothing_concerns_no_unit(tree):
    _, _, commune, _ = tree
    assert unit_id_of(commune) == commune.pk and unit_id_of(None) is None


def test_a_person_concerns_the_unit_of_their_first_role(tree):
    province, _, commune, _ = tree
    official = person("canbo.x", (Role.COMMUNE_OFFICIAL, commune), (Role.PROVINCE_OFFICE, province))
    assert unit_id_of(official) == home_unit_id(official.pk) == commune.pk


def test_an_administrator_without_a_unit_concerns_none(tree):
    assert unit_id_of(person("quantri.x", (Role.ADMIN, None))) is None
    assert home_unit_id(None) is None


def test_a_role_a_token_and_a_device_concern_their_persons_unit(tree):
    _, district, _, _ = tree
    office = person("vpdp.x", (Role.DISTRICT_OFFICE, district))
    assert unit_id_of(Membership.objects.get(user=office)) == district.pk
    assert unit_id_of(create_token(office)[0]) == district.pk
    assert unit_id_of(TOTPDevice.objects.create(user=office, name="điện thoại")) == district.pk


def test_a_merger_concerns_the_new_commune(tree):
    province, _, commune, _ = tree
    new = Unit.objects.create(key="c99100", code="99100", name="Hòa Đức", division_type="xã", kind=Kind.COMMUNE,
                              parent=province)
    succession = Succession.objects.create(predecessor=commune, successor=new, effective=date(2025, 7, 1))
    decision = MergerDecision.objects.create(commune=new, path="reassess", decided_at=datetime(2025, 9, 1, tzinfo=HCM))
    assert unit_id_of(succession) == new.pk and unit_id_of(decision) == new.pk


def test_an_object_of_no_unit_concerns_none(tree):
    assert unit_id_of(ContentType.objects.get_for_model(Unit)) is None


def test_a_role_granted_is_recorded_under_its_unit(tree):
    _, _, commune, _ = tree
    official = person("canbo.y", (Role.COMMUNE_OFFICIAL, commune))
    membership = Membership.objects.get(user=official)
    entry = AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Membership),
                                   object_pk=str(membership.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.unit_id == commune.pk


# --- Filters ----------------------------------------------------------------------------------------------------


@pytest.fixture
def entries(tree):
    """Four hand-made entries of known units, people and days; the filters are applied to these alone."""
    province, district, commune, other = tree
    editor = person("canbo.an", (Role.COMMUNE_OFFICIAL, commune))
    unit_type = ContentType.objects.get_for_model(Unit)
    user_type = ContentType.objects.get_for_model(get_user_model())

    def entry(key: str, *, unit, actor, action, day: datetime, kind=unit_type, repr_: str = "", changes=None):
        return key, AuditEntry.objects.create(
            content_type=kind, object_pk="1", object_repr=repr_ or key, action=action, actor=actor, unit=unit,
            timestamp=day, changes=changes, remote_addr="192.0.2.5")

    return dict([
        entry("commune edit", unit=commune, actor=editor, action=AuditEntry.Action.UPDATE,
              day=datetime(2026, 3, 5, 0, 10, tzinfo=HCM), changes={"name": ["An Hoa", "An Hòa"]}),
        entry("district create", unit=district, actor=None, action=AuditEntry.Action.CREATE,
              day=datetime(2026, 3, 5, 23, 50, tzinfo=HCM)),
        entry("other province delete", unit=other, actor=editor, action=AuditEntry.Action.DELETE,
              day=datetime(2026, 3, 6, 8, 0, tzinfo=HCM)),
        entry("failed log-in", unit=None, actor=None, action=AuditEntry.Action.ACCESS, kind=user_type,
              repr_="CANBO.AN", day=datetime(2026, 3, 4, 9, 0, tzinfo=HCM)),
    ])


def filtered(entries: dict[str, AuditEntry], **data) -> list[str]:
    form = AuditFilter(data)
    assert form.is_valid(), form.errors
    chosen = form.apply(AuditEntry.objects.filter(pk__in=[e.pk for e in entries.values()]))
    names = {e.pk: name for name, e in entries.items()}
    return sorted(names[pk] for pk in chosen.values_list("pk", flat=True))


def test_no_filter_keeps_everything(entries):
    assert len(filtered(entries)) == 4


def test_a_persons_entries_include_failed_log_ins_under_their_name(entries):
    assert filtered(entries, user=" CanBo.An ") == ["commune edit", "failed log-in", "other province delete"]


def test_a_unit_takes_in_what_lies_under_it(entries):
    assert filtered(entries, unit="p99") == ["commune edit", "district create"]
    assert filtered(entries, unit="d999") == ["commune edit", "district create"]
    assert filtered(entries, unit="c99901") == ["commune edit"]
    assert filtered(entries, unit="an hòa") == ["commune edit"], "or part of its name"


def test_log_ins_are_a_kind_of_their_own_and_each_model_another(entries):
    assert filtered(entries, kind=LOGINS) == ["failed log-in"]
    unit_type = ContentType.objects.get_for_model(Unit)
    assert filtered(entries, kind=str(unit_type.pk)) == ["commune edit", "district create", "other province delete"]


def test_one_action(entries):
    assert filtered(entries, action=str(AuditEntry.Action.DELETE)) == ["other province delete"]
    assert filtered(entries, action=str(AuditEntry.Action.CREATE)) == ["district create"]


def test_dates_are_whole_local_days_written_day_first(entries, settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert filtered(entries, since="05/03/2026", until="05/03/2026") == ["commune edit", "district create"]
        assert filtered(entries, since="06/03/2026") == ["other province delete"]
        assert filtered(entries, until="04/03/2026") == ["failed log-in"]


def test_an_unknown_kind_or_action_is_refused():
    form = AuditFilter({"kind": "999999", "action": "7"})
    assert not form.is_valid() and set(form.errors) == {"kind", "action"}


def test_the_kinds_offer_log_ins_first_then_models_by_name(db):
    with translation.override("en"):
        choices = [(value, str(label)) for value, label in AuditFilter().fields["kind"].choices]
    assert choices[0] == ("", "All") and choices[1][0] == LOGINS
    labels = [label for _value, label in choices[2:]]
    assert labels == sorted(labels, key=str.lower) and len(labels) >= 5


# --- Export rows ------------------------------------------------------------------------------------------------


def test_a_row_reads_local_time_day_first_and_blanks_for_nobody(entries, settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    ordered = AuditEntry.objects.filter(pk__in=[entries["commune edit"].pk, entries["district create"].pk])
    rows = {row[5]: row for row in export.rows(ordered.order_by("timestamp"))}
    edit, create = rows["commune edit"], rows["district create"]
    assert edit[:3] == ["05/03/2026 00:10:00", "canbo.an", "192.0.2.5"] and edit[6] == "An Hòa"
    assert "An Hoa" in edit[7] and "An Hòa" in edit[7]
    assert create[:2] == ["05/03/2026 23:50:00", ""] and create[6] == "Cũ"


@pytest.mark.parametrize(("lang", "first"), [("vi", "Thời điểm"), ("en", "Time")])
def test_the_csv_opens_in_excel_with_a_header_in_the_readers_language(entries, lang, first):
    with translation.override(lang):
        content = export.as_csv(AuditEntry.objects.filter(pk__in=[e.pk for e in entries.values()]))
    assert content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][0] == first and len(table) == 5 and all(len(row) == 8 for row in table)
