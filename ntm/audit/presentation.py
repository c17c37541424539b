"""How an entry reads on the page and in the export: the action, the kind of object, what changed."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import AuditEntry


def action_label(entry: AuditEntry) -> str:
    return {AuditEntry.Action.CREATE: _("Tạo"), AuditEntry.Action.UPDATE: _("Sửa"),
            AuditEntry.Action.DELETE: _("Xóa"), AuditEntry.Action.ACCESS: _("Truy cập")}.get(entry.action, "?")


def event_label(entry: AuditEntry) -> str:
    event = (entry.additional_data or {}).get("event") if isinstance(entry.additional_data, dict) else None
    return {"login": _("Đăng nhập"), "logout": _("Đăng xuất"),
            "login_failed": _("Đăng nhập thất bại")}.get(event or "", "")


def kind_label(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    return capfirst(str(model._meta.verbose_name)) if model else entry.content_type.model


def change_pairs(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) in the field's own words where the model still has the field."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    model = entry.content_type.model_class()
    out = []
    for name, value in changes.items():
        label = name
        if model is not None:
            try:
                label = capfirst(str(model._meta.get_field(name).verbose_name))
            except Exception:  # noqa: BLE001 - a field removed since
                label = name
        if isinstance(value, list | tuple) and len(value) == 2:
            before, after = ("" if v in (None, "None") else str(v) for v in value)
        else:  # many-to-many: {"type": "m2m", "operation": …, "objects": […]}
            before, after = "", f"{value.get('operation', '')}: {', '.join(value.get('objects', []))}" \
                if isinstance(value, dict) else str(value)
        out.append((label, before, after))
    return out


def changes_text(entry: AuditEntry) -> str:
    return "; ".join(f"{label}: {before or '∅'} → {after or '∅'}" for label, before, after in change_pairs(entry))
