"""Alert texts in the active language, from the facts stored with each alert."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _pick(params: dict, name: str) -> str:
    """`name_en` in English when there is one, else `name_vi`."""
    return (_english() and params.get(f"{name}_en")) or params.get(f"{name}_vi") or ""


def alert_message(kind: str, params: dict) -> str:
    if kind == "criterion_slipped":
        return _("%(commune)s: tiêu chí %(code)s “%(name)s” (%(set)s, năm %(year)s) trước đạt, nay chưa đạt.") % {
            "commune": params.get("commune", ""), "code": params.get("criterion", ""),
            "name": _pick(params, "criterion_name"), "set": _pick(params, "set_name"), "year": params.get("year", ""),
        }
    if kind == "revocation_risk":
        return _("%(commune)s có nguy cơ bị thu hồi danh hiệu %(level)s: %(reason)s") % {
            "commune": params.get("commune", ""), "level": _pick(params, "level_name"),
            "reason": _pick(params, "reason"),
        }
    if kind in ("due", "overdue"):
        text = _("Đến hạn ngày %(due)s: %(title)s") if kind == "due" else _("Quá hạn từ ngày %(due)s: %(title)s")
        return text % {"due": params.get("due", ""), "title": params.get("title", "")}
    return str(params)
