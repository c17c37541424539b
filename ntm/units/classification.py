"""Reading what decides a threshold: the region, commune group and flags in force in a year, in bulk.

Which flags decide what (see Unit's field comments): the 2021–2025 sets use the region, switched to
the northern-mountain (TDMNPB) levels when `specially_disadvantaged` (318/QĐ-TTg Art. 1, amended by
211/QĐ-TTg); the 2026–2030 set (51/2025/QĐ-TTg) uses the group G1/G2/G3, where G3 = Area II/III
communes of the ethnic-minority and mountainous region (Decree 272/2025/NĐ-CP; lists in Decision
60/QĐ-BDTTG). Mountain, island and coastal are recorded as the basis of those decisions only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import F, Q
from django.utils import timezone

from ntm import shared_reads

from .models import FLAG_ATTRIBUTES, Attribute, Classification, Kind, Unit
from .sources import EFFECTIVE

# Positions in the evaluation's unit rows (ntm.evaluation.actions.UNIT_FIELDS).
_ROW_INDEX = {Attribute.REGION: 2, Attribute.GROUP: 3, Attribute.SPECIALLY_DISADVANTAGED: 4}
_IN_CLAUSE_LIMIT = 2000  # above this, read every record of those attributes and pick in Python


def to_python(attribute: str, value: str) -> str | bool:
    """A stored value as the Unit field holds it: flags are booleans, the rest strings."""
    if attribute in FLAG_ATTRIBUTES:
        return value == "true"
    return value


def to_stored(attribute: str, value: str | bool | None) -> str:
    if attribute in FLAG_ATTRIBUTES:
        return "true" if value else "false"
    return str(value or "")


def _unset(attribute: str) -> str | bool:
    return False if attribute in FLAG_ATTRIBUTES else ""


def values_in_year(unit_ids: Sequence[int], year: int, attributes: Sequence[str]
                   ) -> dict[tuple[int, str], str | bool]:
    """(unit id, attribute) → the value in force during `year`, for units that have a history of that
    attribute; one query. A unit without history is absent (its Unit field is the value)."""
    records = Classification.objects.filter(attribute__in=list(attributes), superseded_at__isnull=True)
    ids = set(unit_ids)
    if len(ids) <= _IN_CLAUSE_LIMIT:
        records = records.filter(unit_id__in=ids)
    start, end = date(year, 1, 1), date(year, 12, 31)
    best: dict[tuple[int, str], tuple[date, str | bool]] = {}
    seen: set[tuple[int, str]] = set()
    for unit_id, attribute, value, valid_from, valid_to in records.values_list(
            "unit_id", "attribute", "value", "valid_from", "valid_to"):
        if unit_id not in ids:
            continue
        key = (unit_id, attribute)
        seen.add(key)
        if (valid_from is not None and valid_from > end) or (valid_to is not None and valid_to < start):
            continue
        since = valid_from or date.min
        # Several records in one year (a change mid-year): the one in force latest in the year decides.
        if key not in best or since > best[key][0]:
            best[key] = (since, to_python(attribute, value))
    return {key: best[key][1] if key in best else _unset(key[1]) for key in seen}


def rows_for_year(unit_rows: Iterable[tuple], year: int) -> list[tuple]:
    """The evaluation's unit rows (pk, kind, region, commune_group, specially_disadvantaged, parent_id)
    with region, group and flag replaced by the values in force in `year` where a history exists."""
    rows = list(unit_rows)
    if 0 < len(rows) <= _SHARED_UP_TO:  # one save reads its commune's rows in several places: once
        return list(shared_reads.get(("classification", tuple(rows), year), lambda: _rows_for_year(rows, year)))
    return _rows_for_year(rows, year)


_SHARED_UP_TO = 20


def _rows_for_year(rows: list[tuple], year: int) -> list[tuple]:
    # Many rows: a look whether any history exists first spares reading it all; a few: read theirs at once.
    if not rows or (len(rows) > _SHARED_UP_TO and not Classification.objects.exists()):
        return rows
    values = values_in_year([r[0] for r in rows], year, list(_ROW_INDEX))
    if not values:
        return rows
    out = []
    for row in rows:
        changed = list(row)
        for attribute, index in _ROW_INDEX.items():
            value = values.get((row[0], attribute))
            if value is not None:
                changed[index] = value
        out.append(tuple(changed))
    return out


def history(unit: Unit) -> list[Classification]:
    """Every record of a unit, replaced ones included, newest first per attribute."""
    return list(unit.classifications.select_related("recorded_by").order_by("attribute", "-valid_from", "-pk"))


def province_communes(province: Unit):
    """The communes (kind commune, not wards: wards are not rated) of a province, of its era."""
    return (Unit.objects.filter(Q(parent=province) | Q(parent__parent=province), kind=Kind.COMMUNE)
            .select_related("parent").order_by("search_name", "key"))


def communes_without_group(province_key: str | None = None) -> int:
    """Communes created on 1/7/2025 (kind commune, valid today) without a group G1/G2/G3: what
    `ntm catalog gaps` reports as "257 communes without a group". Optionally within one province."""
    today = timezone.localdate()
    communes = Unit.objects.filter(kind=Kind.COMMUNE, valid_from__gte=EFFECTIVE, commune_group="").filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    if province_key:
        communes = communes.filter(Q(parent__key=province_key) | Q(parent__parent__key=province_key))
    return communes.count()


def open_decisions(unit_ids: Sequence[int]) -> dict[tuple[int, str], Classification]:
    """(unit id, attribute) → the latest live record (the one the Unit field shows), one query."""
    out: dict[tuple[int, str], Classification] = {}
    records = Classification.objects.filter(unit_id__in=list(unit_ids), superseded_at__isnull=True)
    for record in records.order_by(F("valid_from").asc(nulls_first=True), "pk"):
        out[(record.unit_id, record.attribute)] = record
    return out


def by_unit(records: dict[tuple[int, str], Classification]) -> dict[int, dict[str, Classification]]:
    out: dict[int, dict[str, Classification]] = defaultdict(dict)
    for (unit_id, attribute), record in records.items():
        out[unit_id][attribute] = record
    return out


def scopes_in_year(units: Sequence[Unit], dimension: str, year: int) -> dict[int, str]:
    """Unit id → the region or group whose thresholds apply in `year` (history first, else the Unit's
    fields), for pages and exports showing a threshold; the same rows the evaluation uses."""
    from ntm.core.catalog import scope_of

    rows = rows_for_year([(u.pk, u.kind, u.region, u.commune_group, u.specially_disadvantaged, u.parent_id)
                          for u in units], year)
    return {r[0]: scope_of(dimension, region=r[2], group=r[3], specially_disadvantaged=r[4]) for r in rows}
