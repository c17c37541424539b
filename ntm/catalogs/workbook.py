"""Reading a catalog workbook (ntm.exchange.catalog_sheet) into a draft version of a set or layer: the
preview judges it with everything else in force, the confirmation stores it as a DRAFT."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from ntm.exchange import catalog_sheet, catalog_store
from ntm.exchange.catalog_diff import Change, diff_sets
from ntm.workbooks.opening import CellError

from .actions import VersionRefused, check_text, create_draft, in_force_version


@dataclass
class CatalogImport:
    """A workbook read and judged, before anything is stored: the YAML text of the new version, what
    it changes against the version in force, or the located problems that refuse it."""

    text: str = ""
    set_id: str = ""
    version: str = ""
    renumbered_from: str = ""  # the workbook's version, when it was not newer than the one in force
    based_on: str = ""  # the version in force it was compared with ("" for a new set or layer)
    layer: bool = False
    changes: list[Change] = field(default_factory=list)
    problems: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.text)


def read_catalog_import(data: bytes) -> CatalogImport:
    """Read a filled catalog workbook, number its version after the one in force, and judge it with
    everything else in force (the rules of `ntm catalog check`). Writes nothing."""
    book = catalog_sheet.read_book(data, base_for=_in_force_text)
    base_text = book.base_text
    found = CatalogImport(set_id=book.set_id, version=book.version, layer=book.layer)
    found.problems = catalog_sheet.check_book(book)
    if found.problems:
        return found
    text = book.text
    current = str((yaml.safe_load(base_text) or {}).get("version", "")) if base_text else ""
    if current and catalog_store.version_key(book.version) <= catalog_store.version_key(current):
        found.renumbered_from, found.version = book.version, catalog_sheet.bump(current)
        text = catalog_sheet.with_version(text, found.version)
    try:
        check_text(text)
    except VersionRefused as exc:
        found.problems = catalog_sheet.locate(exc.problems, book.rows) or [CellError(
            catalog_sheet.SET_SHEET, None, "", str(exc))]
        return found
    found.text, found.based_on = text, current
    found.changes = diff_sets(base_text or None, text)
    return found


def _in_force_text(set_id: str) -> str | None:
    try:
        return catalog_store.base_text(set_id)[1]
    except KeyError:
        return None


def store_catalog_import(text: str, *, based_on: str, by, note: str = ""):
    """The previewed text as a DRAFT version (in force only once a second person approves it).
    Refused (`VersionRefused`) if the version in force moved since the preview."""
    raw = yaml.safe_load(text)
    current = in_force_version(str(raw.get("id")))
    if current != based_on:
        raise VersionRefused(_("Trong lúc xem trước, phiên bản đang áp dụng đã đổi (%(old)s → %(new)s). Hãy tải "
                               "sổ lên lần nữa để xem thay đổi so với phiên bản mới.")
                             % {"old": based_on or "—", "new": current or "—"})
    return create_draft(text, by=by, note=note or _("Nhập từ sổ Excel"))
