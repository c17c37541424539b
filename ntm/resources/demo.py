"""Illustrative mobilisation for the 4 pilot communes of Tân Trụ, 2023–2024 (demo data, not real
figures): budget for roads and schools, residents' land and labour for rural roads ("nhất là nguồn
lực trong dân"), credit and enterprises for production (criterion 13)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from ntm.units.models import Kind, Unit

from .actions import FundingInput, add_funding
from .models import Funding, Source

SET = "commune-ntmnc-2021-2025"
PILOTS = {"Quê Mỹ Thạnh": 1.0, "Bình Lãng": 0.9, "Bình Trinh Đông": 1.15, "Bình Tịnh": 0.8}
# (criterion, source, millions of đồng in 2023); 2024 is 30% more, the year of the NTMNC drive.
PLAN = (
    ("2", Source.CENTRAL_BUDGET, 1800), ("2", Source.LOCAL_BUDGET, 1200), ("2", Source.RESIDENTS_LAND, 650),
    ("2", Source.RESIDENTS_LABOUR, 180), ("2", Source.RESIDENTS_MONEY, 320), ("5", Source.LOCAL_BUDGET, 900),
    ("13", Source.CREDIT, 1500), ("13", Source.ENTERPRISES, 600), ("17", Source.OTHER_PROGRAMMES, 400),
    ("17", Source.RESIDENTS_MONEY, 120), ("", Source.LOCAL_BUDGET, 250),
)
NOTE = "Số liệu mẫu (demo), minh họa; không phải số liệu thật của xã."


@transaction.atomic
def create_demo_funding() -> int:
    """Replace the demo fundings of the pilot communes; idempotent. Returns the rows written."""
    communes = Unit.objects.filter(kind=Kind.COMMUNE, name__in=PILOTS, parent__name="Tân Trụ")
    Funding.objects.filter(commune__in=communes, is_demo=True).delete()
    written = 0
    for commune in communes:
        for year, growth in ((2023, 1.0), (2024, 1.3)):
            for criterion, source, millions in PLAN:
                amount = Decimal(round(millions * PILOTS[commune.name] * growth)) * 1_000_000
                add_funding(FundingInput(commune=commune, criteria_set=SET, criterion=criterion, year=year,
                                         source=source, amount=amount, note=NOTE, is_demo=True))
                written += 1
    return written
