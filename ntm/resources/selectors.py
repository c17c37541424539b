"""Reads: a district's mobilisation totals per source, criterion and commune; a commune's rows; and
outstanding capital-construction debt (recorded by `ntm.recognition`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, overload

from django.db.models import QuerySet, Sum

from ntm.recognition.models import CapitalDebt
from ntm.units.models import Unit

from .models import RESIDENT_SOURCES, Funding, Source


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal
    key: str = ""
    debt: Decimal | None = None  # outstanding capital-construction debt (communes only)


@dataclass(frozen=True)
class Totals:
    year: int
    total: Decimal
    by_source: tuple[Line, ...]
    by_criterion: tuple[Line, ...]
    by_commune: tuple[Line, ...]
    residents: Decimal  # money, land and labour from residents
    demo: bool
    debt: dict[int, Decimal] = field(default_factory=dict)

    @property
    def residents_percent(self) -> float:
        return round(float(self.residents * 100 / self.total), 1) if self.total else 0.0


@overload
def _sum(rows: QuerySet[Funding], key: Literal["source", "criterion"]) -> dict[str, Decimal]: ...
@overload
def _sum(rows: QuerySet[Funding], key: Literal["commune"]) -> dict[int, Decimal]: ...  # by commune id
def _sum(rows: QuerySet[Funding], key: str) -> dict:
    return {k: v for k, v in rows.values_list(key).annotate(s=Sum("amount")).order_by(key)}


def district_totals(district: Unit, year: int) -> Totals:
    rows = Funding.objects.filter(commune__parent=district, year=year)
    by_source = _sum(rows, "source")
    by_criterion = _sum(rows, "criterion")
    by_commune = _sum(rows, "commune")
    communes = Unit.objects.in_bulk(by_commune)
    debt = outstanding_debt(list(communes))
    return Totals(
        year=year,
        total=sum(by_source.values(), Decimal(0)),
        by_source=tuple(Line(str(label), by_source[value], value) for value, label in Source.choices
                        if value in by_source),
        by_criterion=tuple(Line(code, amount, code) for code, amount in
                           sorted(by_criterion.items(), key=lambda kv: _criterion_order(kv[0]))),
        by_commune=tuple(Line(communes[pk].full_name, amount, communes[pk].key, debt.get(pk))
                         for pk, amount in sorted(by_commune.items(), key=lambda kv: communes[kv[0]].name)),
        residents=sum((by_source.get(s, Decimal(0)) for s in RESIDENT_SOURCES), Decimal(0)),
        demo=rows.filter(is_demo=True).exists(),
        debt=debt,
    )


def _criterion_order(code: str) -> tuple[int, str]:
    """Criteria by number; the rows for no criterion (the programme in general) last."""
    return (int(code), "") if code.isdigit() else (10_000, code)


def commune_fundings(commune: Unit) -> QuerySet[Funding]:
    return Funding.objects.filter(commune=commune).select_related("entered_by")


def years(district: Unit) -> list[int]:
    return sorted(set(Funding.objects.filter(commune__parent=district).values_list("year", flat=True)), reverse=True)


def outstanding_debt(commune_ids: Collection[int]) -> dict[int, Decimal]:
    """Commune id → outstanding capital-construction debt (`ntm.recognition`'s `CapitalDebt`): the rows
    not settled (`settled_on` empty) summed per commune."""
    rows = CapitalDebt.objects.filter(commune_id__in=commune_ids, settled_on__isnull=True)
    return {k: v for k, v in rows.values_list("commune_id").annotate(s=Sum("amount")).order_by() if v}
