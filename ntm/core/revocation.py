"""Revocation of a commune's title (Decision 18/2022/QĐ-TTg) and criteria that slipped.

A recognised commune risks losing its title when 30% to under 50% of its criteria are unmet with a
key criterion among them (income; environment…; defence and security), or when 50% or more are
unmet. Pure: statuses in, a verdict out. Only NOT_MET counts as unmet: a criterion without data is
unknown, not failed, and is reported separately so that the office can chase the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .engine import Status

KEY_SHARE = Fraction(30, 100)  # from this share, unmet criteria put the title at risk with a key one
ANY_SHARE = Fraction(50, 100)  # from this share, at risk whatever the criteria


@dataclass(frozen=True)
class RevocationRisk:
    unmet: tuple[str, ...]  # codes of the unmet criteria, in the order given
    key_unmet: tuple[str, ...]  # those among them that are key criteria
    total: int
    reason_vi: str
    reason_en: str

    @property
    def share(self) -> Fraction:
        return Fraction(len(self.unmet), self.total)

    @property
    def percent(self) -> float:
        return round(float(self.share) * 100, 1)


def _percent(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}"


def revocation_risk(criteria_statuses: Mapping[str, Status], key_codes: set[str]) -> RevocationRisk | None:
    """The risk of revocation under 18/2022, or None. `criteria_statuses`: every criterion of the
    set the title was granted on; `key_codes`: the catalog's key criteria of that set."""
    total = len(criteria_statuses)
    if total == 0:
        return None
    unmet = tuple(code for code, status in criteria_statuses.items() if status is Status.NOT_MET)
    key_unmet = tuple(code for code in unmet if code in key_codes)
    share = Fraction(len(unmet), total)
    counts = {"n": len(unmet), "total": total, "pct": _percent(len(unmet), total)}
    if share >= ANY_SHARE:
        return RevocationRisk(
            unmet, key_unmet, total,
            "{n}/{total} tiêu chí chưa đạt ({pct}%): từ 50% trở lên (Quyết định 18/2022/QĐ-TTg).".format(**counts),
            "{n} of {total} criteria unmet ({pct}%): 50% or more (Decision 18/2022/QĐ-TTg).".format(**counts),
        )
    if share >= KEY_SHARE and key_unmet:
        keys = ", ".join(key_unmet)
        return RevocationRisk(
            unmet, key_unmet, total,
            ("{n}/{total} tiêu chí chưa đạt ({pct}%), trong đó có tiêu chí trọng yếu {keys}: từ 30% đến dưới 50% "
             "(Quyết định 18/2022/QĐ-TTg).").format(keys=keys, **counts),
            ("{n} of {total} criteria unmet ({pct}%), including key criteria {keys}: 30% to under 50% "
             "(Decision 18/2022/QĐ-TTg).").format(keys=keys, **counts),
        )
    return None


def slipped(previous: Mapping[str, Status], current: Mapping[str, Status]) -> list[str]:
    """Criteria met before and not met now, in the order of `current`. A criterion that merely lost
    its data is not counted: nothing says it failed."""
    return [code for code, status in current.items()
            if status is Status.NOT_MET and previous.get(code) is Status.MET]
