"""The one place fundings are written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ntm.units.models import Unit

from .models import Funding


@dataclass(frozen=True)
class FundingInput:
    commune: Unit
    criteria_set: str
    year: int
    source: str
    amount: Decimal
    criterion: str = ""
    note: str = ""
    is_demo: bool = False


@transaction.atomic
def add_funding(item: FundingInput, *, by=None) -> Funding:
    return Funding.objects.create(commune=item.commune, criteria_set=item.criteria_set, criterion=item.criterion,
                                  year=item.year, source=item.source, amount=item.amount, note=item.note,
                                  entered_by=by, entered_at=timezone.now(), is_demo=item.is_demo)
