"""Administrative units of both eras and their lineage, read from the `vietnam-provinces` package.

Plain rows only (no ORM): `ntm.units.actions.import_units` turns them into `Unit` and `Succession`.

* Pre-2025 (3 levels): `vietnam_provinces.legacy` Province / District / Ward, keys "p80", "d797",
  "c28084" (xã) or "w28075" (phường, thị trấn).
* From 1/7/2025 (2 levels): `vietnam_provinces` Province / Ward, keys "p80-2025", "c28075-2025"
  (xã) or "w…-2025" (phường, đặc khu).
* Lineage: the package exposes the old → new tables only in underscore modules
  (`_ward_conversion_2025`, `_province_conversion_2025`); its public API (`Ward.search_from_legacy`,
  `Province.get_legacy_sources`) answers one unit at a time and drops the "partly merged" flag,
  so we read the tables directly. Pin the package version if those modules move.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import vietnam_provinces as vp
from vietnam_provinces import _province_conversion_2025 as province_conversion  # private: see docstring
from vietnam_provinces import _ward_conversion_2025 as ward_conversion  # private: see docstring
from vietnam_provinces import legacy

from .text import fold

EFFECTIVE = date.fromisoformat(ward_conversion.EFFECTIVE_DATE)  # 2025-07-01
LEGACY_VALID_TO = date(2025, 6, 30)
NEW_SUFFIX = "-2025"
SOURCE = f"vietnam-provinces {vp.__version__} ({ward_conversion.SOURCE})"

# Package division types → ours (the name's own prefix, lower-case) and kind.
_DIVISION = {
    "thành phố trung ương": ("thành phố", "province"),
    "tỉnh": ("tỉnh", "province"),
    "huyện": ("huyện", "district"),
    "quận": ("quận", "district"),
    "thành phố": ("thành phố", "district"),
    "thị xã": ("thị xã", "district"),
    "xã": ("xã", "commune"),
    "phường": ("phường", "ward"),
    "thị trấn": ("thị trấn", "ward"),
    # Special zones (island units since 1/7/2025) sit at commune level but are not rural communes:
    # treated like wards (not rated on the commune criteria).
    "đặc khu": ("đặc khu", "ward"),
}
_KIND_LETTER = {"province": "p", "district": "d", "commune": "c", "ward": "w"}


@dataclass(frozen=True, slots=True)
class UnitRow:
    key: str
    code: str
    name: str  # without the division prefix: "Tân Trụ"
    division_type: str  # "huyện"
    kind: str  # Kind value
    parent_key: str | None
    province_code: int  # the (old or new) province's code, for filtering
    new: bool  # created on 1/7/2025

    @property
    def search_name(self) -> str:
        return fold(self.name)


@dataclass(frozen=True, slots=True)
class SuccessionRow:
    predecessor_key: str
    successor_key: str
    partial: bool
    effective: date = EFFECTIVE
    source: str = SOURCE


def _row(full_name: str, package_type: str, code: int, parent_key: str | None, province_code: int,
         new: bool) -> UnitRow:
    division_type, kind = _DIVISION[str(package_type)]
    prefix = division_type + " "  # case-insensitive: the package has "Thành Phố Bắc Kạn"
    name = full_name[len(prefix):] if full_name.lower().startswith(prefix) else full_name
    return UnitRow(key=unit_key(kind, code, new=new), code=str(code), name=name, division_type=division_type,
                   kind=kind, parent_key=parent_key, province_code=province_code, new=new)


def unit_key(kind: str, code: int, *, new: bool) -> str:
    """ "c28084" (pre-2025) or "c28075-2025" (created on 1/7/2025)."""
    return f"{_KIND_LETTER[kind]}{code}{NEW_SUFFIX if new else ''}"


@cache
def _legacy_ward_keys() -> dict[int, str]:
    return {int(row.code): row.key for row in legacy_units() if row.kind in ("commune", "ward")}


@cache
def _new_ward_keys() -> dict[int, str]:
    return {int(row.code): row.key for row in new_units() if row.kind in ("commune", "ward")}


@cache
def legacy_units() -> tuple[UnitRow, ...]:
    """The 63 provinces, 696 districts and 10,051 communes/wards before 1/7/2025, parents first."""
    rows: list[UnitRow] = []
    for p in legacy.Province.iter_all():
        rows.append(_row(p.name, p.division_type, p.code.value, None, p.code.value, new=False))
    district_province: dict[int, int] = {}
    for d in legacy.District.iter_all():
        district_province[d.code.value] = d.province_code.value
        parent = unit_key("province", d.province_code.value, new=False)
        rows.append(_row(d.name, d.division_type, d.code.value, parent, d.province_code.value, new=False))
    for w in legacy.Ward.iter_all():
        parent = unit_key("district", w.district_code.value, new=False)
        province = district_province[w.district_code.value]
        rows.append(_row(w.name, w.division_type, w.code.value, parent, province, new=False))
    return tuple(rows)


@cache
def new_units() -> tuple[UnitRow, ...]:
    """The 34 provinces and 3,321 communes/wards/special zones from 1/7/2025, parents first."""
    rows: list[UnitRow] = []
    for p in vp.Province.iter_all():
        rows.append(_row(p.name, p.division_type, p.code.value, None, p.code.value, new=True))
    for w in vp.Ward.iter_all():
        parent = unit_key("province", w.province_code.value, new=True)
        rows.append(_row(w.name, w.division_type, w.code.value, parent, w.province_code.value, new=True))
    return tuple(rows)


def successions() -> Iterator[SuccessionRow]:
    """Old → new pairs effective 1/7/2025: provinces, then communes/wards.

    `partial` is the package's `is_partly_merged` for communes (only part of the old commune went to
    this successor) and, for provinces, whether the old province went to more than one new one.
    Pairs whose ends are missing from the package's unit lists are skipped (a few dozen codes).
    """
    new_provinces = {p.code.value for p in vp.Province.iter_all()}
    old_provinces = {p.code.value for p in legacy.Province.iter_all()}
    for old_code, entry in province_conversion.OLD_TO_NEW.items():
        if old_code not in old_provinces:
            continue
        partial = len(entry.new_provinces) > 1
        for ref in entry.new_provinces:
            if ref.code in new_provinces:
                yield SuccessionRow(unit_key("province", old_code, new=False),
                                    unit_key("province", ref.code, new=True), partial)
    old_keys, new_keys = _legacy_ward_keys(), _new_ward_keys()
    for old_code, ward in ward_conversion.OLD_TO_NEW.items():
        old_key = old_keys.get(old_code)
        if old_key is None:
            continue
        for new_ward in ward.new_wards:
            new_key = new_keys.get(new_ward.code)
            if new_key is not None:
                yield SuccessionRow(old_key, new_key, ward.old_ward.is_partly_merged)

