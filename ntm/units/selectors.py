"""Finding units by name, and walking the lineage between the two eras."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from .models import Kind, Unit
from .text import fold, split_prefix


class UnitLookupError(LookupError):
    """A unit name that does not resolve to exactly one unit. `message_vi` and `message_en` explain."""

    def __init__(self, message_vi: str, message_en: str, *, query: str = "",
                 matches: tuple[Unit, ...] = ()) -> None:
        super().__init__(f"{message_vi}\n{message_en}")
        self.message_vi = message_vi
        self.message_en = message_en
        self.query = query
        self.matches = matches

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


class UnitNotFound(UnitLookupError):
    """No unit matches the name."""


class AmbiguousUnit(UnitLookupError):
    """Several units match the name; `matches` lists them."""


def _validity(unit: Unit, lang: str) -> str:
    start = unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "…"
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "…"
    if unit.valid_from is None and unit.valid_to is None:
        return "không rõ hiệu lực" if lang == "vi" else "validity unknown"
    return f"{start} – {end}"


def describe(unit: Unit, lang: str = "vi") -> str:
    """"Xã Quê Mỹ Thạnh [c28084], Huyện Tân Trụ, Tỉnh Long An, … – 30/06/2025"."""
    chain = []
    parent = unit.parent
    while parent is not None:
        chain.append(parent.full_name)
        parent = parent.parent
    where = ", ".join(chain)
    return f"{unit.full_name} [{unit.key}]" + (f", {where}" if where else "") + f" ({_validity(unit, lang)})"


def _valid_on(on: date) -> Q:
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=on)
    return started & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def matching_units(name: str, *, kind: str | None = None, on: date | None = None) -> QuerySet[Unit]:
    """Units whose name matches `name`, with or without diacritics and with or without the division prefix.

    "Xã Quê Mỹ Thạnh" matches only units whose division type is "xã"; "Quê Mỹ Thạnh" any kind.
    A unit key ("c28084", "c28087-2025") matches that unit.
    """
    prefix, bare = split_prefix(name)
    match = Q(search_name=fold(name)) | Q(key=name.strip())
    if prefix:
        # "Xã Tân Trụ": name "Tân Trụ" with the prefix as division type. The division type is stored with
        # diacritics; compare on the folded prefix by listing the types that fold to it.
        types = [t for t in _DIVISION_TYPES if fold(t) == prefix]
        match |= Q(search_name=bare, division_type__in=types)
    units = Unit.objects.filter(match).select_related("parent__parent")
    if kind:
        units = units.filter(kind=kind)
    if on is not None:
        units = units.filter(_valid_on(on))
    return units.order_by("valid_from", "kind", "key")


_DIVISION_TYPES = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu")


def find_unit(name: str, *, kind: str | None = None, on: date | None = None) -> Unit:
    """The one unit called `name` (optionally of `kind`, valid `on` a date).

    Raises `UnitNotFound` when none matches and `AmbiguousUnit` (listing the matches with key, parent
    and validity) when several do.
    """
    matches = tuple(matching_units(name, kind=kind, on=on)[:50])
    if len(matches) == 1:
        return matches[0]
    scope_vi = "".join([f", cấp {kind}" if kind else "", f", hiệu lực ngày {on:%d/%m/%Y}" if on else ""])
    scope_en = "".join([f", kind {kind}" if kind else "", f", valid on {on:%Y-%m-%d}" if on else ""])
    if not matches:
        raise UnitNotFound(f"Không tìm thấy đơn vị hành chính nào tên «{name}»{scope_vi}.",
                           f"No administrative unit named “{name}”{scope_en}.", query=name)
    more = len(matches) == 50
    lines_vi = "\n".join(f"  - {describe(u, 'vi')}" for u in matches)
    lines_en = "\n".join(f"  - {describe(u, 'en')}" for u in matches)
    raise AmbiguousUnit(
        f"Có {'ít nhất ' if more else ''}{len(matches)} đơn vị tên «{name}»{scope_vi}; hãy ghi rõ hơn "
        f"(tiền tố xã/phường, cấp, ngày hiệu lực hoặc mã khóa):\n{lines_vi}",
        f"{'At least ' if more else ''}{len(matches)} units are named “{name}”{scope_en}; be more specific "
        f"(division prefix, kind, date or key):\n{lines_en}",
        query=name, matches=matches,
    )


def successors_of(unit: Unit) -> QuerySet[Unit]:
    """The units `unit` (or part of it) became, e.g. the 2025 commune(s) an old commune merged into."""
    return Unit.objects.filter(predecessions__predecessor=unit).select_related("parent").order_by("key")


def predecessors_of(unit: Unit) -> QuerySet[Unit]:
    """The units that (wholly or partly) became `unit`."""
    return Unit.objects.filter(successions__successor=unit).select_related("parent__parent").order_by("key")


def province_keys() -> dict[int, str]:
    """Province key (e.g. "p80") of every province and district, by id: with a commune's parent id it
    gives the commune's province in one query, whatever the era (district → province before 1/7/2025,
    province directly after)."""
    upper = dict(Unit.objects.filter(kind__in=[Kind.PROVINCE, Kind.DISTRICT]).values_list("pk", "parent_id"))
    keys = dict(Unit.objects.filter(kind=Kind.PROVINCE).values_list("pk", "key"))
    return {pk: keys.get(pk) or keys.get(parent, "") for pk, parent in upper.items()}


def province_key_of(unit: Unit) -> str:
    """The key of the province a commune or district lies in ("p80"), "" for a province or a unit
    without one: the key province layers name (see `Catalog.resolve`)."""
    if unit.kind == Kind.PROVINCE:
        return ""
    parent = unit.parent if unit.parent_id else None
    while parent is not None and parent.kind != Kind.PROVINCE:
        parent = parent.parent if parent.parent_id else None
    return parent.key if parent is not None else ""
