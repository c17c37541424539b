"""The one place where versions of sets and layers are written: a draft is validated by the catalog
loader (the rules of `ntm catalog check`), a second person approves it, and publishing it
re-evaluates every stored result it affects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.catalog_source import common_text, effective_texts, reload_catalog, version_key
from ntm.core.loader import CatalogError, Problem, build_catalog, is_layer_text, read_yaml

from .models import CatalogVersion, Kind, State


class VersionRefused(ValueError):
    """A draft that cannot be stored or approved; `problems` name the file, criterion and indicator."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = problems or []
        super().__init__(message)


@dataclass(frozen=True)
class DraftFacts:
    set_id: str
    version: str
    kind: str
    base: str
    demo: bool


def check_text(text: str) -> DraftFacts:
    """Validate a set or layer text together with everything else in force; raise `VersionRefused`."""
    try:
        raw = read_yaml(text)
    except yaml.YAMLError as exc:
        raise VersionRefused(_("Tệp YAML không đọc được: %(e)s") % {"e": exc}) from exc
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("version"):
        raise VersionRefused(_("Phiên bản phải ghi mã (id) và số phiên bản (version)."))
    set_id, version = str(raw["id"]), str(raw["version"])
    texts, _shadowed = effective_texts()
    file = f"{set_id}@{version}.yaml"
    texts[set_id] = (file, text)
    try:
        build_catalog(common_text(), texts.values())
    except CatalogError as exc:
        raise VersionRefused(_("Phiên bản có lỗi, chưa lưu."), exc.problems) from exc
    layer = is_layer_text(text)
    return DraftFacts(set_id, version, Kind.LAYER if layer else Kind.SET, str(raw.get("base") or "") if layer else "",
                      raw.get("demo") is True)


def in_force_version(set_id: str) -> str:
    texts, _shadowed = effective_texts()
    found = texts.get(set_id)
    return str((read_yaml(found[1]) or {}).get("version", "")) if found else ""


@transaction.atomic
def create_draft(text: str, *, by, note: str = "") -> CatalogVersion:
    """Store a validated draft. Its version must be newer than the one in force (which it was based on)."""
    facts = check_text(text)
    current = in_force_version(facts.set_id)
    if current and version_key(facts.version) <= version_key(current):
        raise VersionRefused(_("Phiên bản %(new)s của %(id)s phải mới hơn phiên bản đang áp dụng %(old)s.")
                             % {"new": facts.version, "id": facts.set_id, "old": current})
    try:
        with transaction.atomic():
            return CatalogVersion.objects.create(
                set_id=facts.set_id, version=facts.version, kind=facts.kind, base=facts.base, based_on=current,
                text=text, demo=facts.demo, note=note, created_by=by)
    except IntegrityError as exc:
        raise VersionRefused(_("Đã có phiên bản %(v)s của %(id)s; hãy đặt số phiên bản khác.")
                             % {"v": facts.version, "id": facts.set_id}) from exc


@transaction.atomic
def update_draft(draft: CatalogVersion, text: str, *, by) -> CatalogVersion:
    if draft.state != State.DRAFT:
        raise VersionRefused(_("Chỉ sửa được bản nháp."))
    facts = check_text(text)
    if (facts.set_id, facts.version) != (draft.set_id, draft.version):
        raise VersionRefused(_("Không đổi được mã hay số phiên bản của một bản nháp; hãy tạo bản nháp mới."))
    draft.text, draft.demo = text, facts.demo
    draft.save(update_fields=["text", "demo"])
    return draft


def approve(draft: CatalogVersion, *, by, takes_effect: date | None = None, note: str = "",
            allow_self: bool = False):
    """Publish a draft approved by someone other than its author; re-evaluate what it affects.
    Returns the re-evaluation job. `allow_self` is for loading the demo only."""
    from ntm.evaluation.jobs import schedule_refresh

    with transaction.atomic():
        draft = CatalogVersion.objects.select_for_update().get(pk=draft.pk)
        if draft.state != State.DRAFT:
            raise VersionRefused(_("Phiên bản này không còn là bản nháp (%(state)s).")
                                 % {"state": draft.get_state_display()})
        if not allow_self and (by is None or (draft.created_by_id is not None and draft.created_by_id == by.pk)):
            raise VersionRefused(_("Người soạn không tự phê duyệt được: cần một người thứ hai phê duyệt."))
        check_text(draft.text)  # what is in force may have changed since the draft was written
        current = in_force_version(draft.set_id)
        if current and version_key(draft.version) <= version_key(current):
            raise VersionRefused(_("Đã có phiên bản mới hơn đang áp dụng (%(v)s); hãy soạn lại từ phiên bản đó.")
                                 % {"v": current})
        draft.state = State.PUBLISHED
        draft.approved_by = by
        draft.approved_at = timezone.now()
        draft.takes_effect = takes_effect or timezone.localdate()
        draft.decision_note = note
        draft.save()
        catalog = reload_catalog()
        return schedule_refresh(
            _("Phê duyệt %(id)s phiên bản %(v)s") % {"id": draft.set_id, "v": draft.version},
            set_ids=affected_sets(catalog, draft.set_id), by=by)


def reject(draft: CatalogVersion, *, by, note: str) -> CatalogVersion:
    if draft.state != State.DRAFT:
        raise VersionRefused(_("Chỉ trả lại được bản nháp."))
    if not note.strip():
        raise VersionRefused(_("Hãy ghi lý do trả lại."))
    draft.state, draft.approved_by, draft.approved_at, draft.decision_note = State.REJECTED, by, timezone.now(), note
    draft.save()
    return draft


def affected_sets(catalog, set_or_layer_id: str) -> list[str]:
    """The national set ids whose results a set or layer changes (a layer: the set at its chain's bottom)."""
    layers = {layer.id: layer for layer in catalog.layers}
    current = set_or_layer_id
    seen = set()
    while current in layers and current not in seen:
        seen.add(current)
        current = layers[current].base
    return [current]
