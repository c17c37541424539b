"""Vietnamese money: 1250000000 → "1.250.000.000 đ"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def vnd(amount: Decimal | int | None) -> str:
    if amount is None:
        return "—"
    whole = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if whole < 0 else ""
    return f"{sign}{abs(whole):,}".replace(",", ".") + " đ"
