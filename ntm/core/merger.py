"""Recognition of a commune formed by a merger, as letter 267/BNN-VPĐP (09/01/2024) words it, as a proposal.

The letter (2021–2025 programme): when every constituent commune was recognised, the province recognises
the new commune at the matching level; when recognised and unrecognised communes were merged, the new
commune is reviewed and goes through the procedure again, building the level the constituents give
(NTMNC or model plus non-NTM → NTM; model plus NTM → NTMNC). How this applies after the 1/7/2025 merger
is not settled nationally, so this only PROPOSES: the province office chooses and records the path.

Readings we chose where the letter is silent, each stated in `Proposal.rule`:
- constituents all recognised at different levels: recognise at the lowest level they all hold, and build
  the level above it ("model plus NTM → NTMNC" read as the general case);
- no constituent recognised: assessed as any commune, building NTM (outside the letter);
- a constituent the system knows nothing about (no stored result, no recognition): no proposal when the
  path depends on it, with what each answer would give (`if_recognised`, `if_not`).
- a constituent only partly merged in (split across several new communes) counts like a whole one: the
  letter does not tell them apart, and its title was the whole old commune's.

Plain data in, plain data out; no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from .levels import CODES as LEVELS  # ascending: a model commune also holds NTMNC and NTM


class Path(StrEnum):
    RECOGNISE = "recognise"  # the province recognises the new commune by decision, no new assessment
    REASSESS = "reassess"  # assessed anew against the set in force, then the ordinary procedure


class Rule(StrEnum):
    """Why the proposal is what it is (one sentence each on the page)."""

    ALL_SAME = "all_same"  # every constituent recognised at the same level
    ALL_DIFFERENT = "all_different"  # every constituent recognised, at different levels
    MIXED = "mixed"  # recognised and unrecognised constituents
    NONE = "none"  # no constituent recognised
    UNKNOWN = "unknown"  # the path depends on constituents without data


@dataclass(frozen=True)
class Constituent:
    """A predecessor commune: the highest level it held when merged (None: not recognised), or nothing
    known about it (`known=False`: the system holds no result and no recognition of it)."""

    name: str
    level: str | None = None
    known: bool = True

    def __post_init__(self) -> None:
        if self.level is not None and self.level not in LEVELS:
            raise ValueError(f"{self.name}: unknown level {self.level!r}; expected one of {', '.join(LEVELS)}")


@dataclass(frozen=True)
class Proposal:
    path: Path | None  # None only with Rule.UNKNOWN
    rule: Rule
    level: str | None = None  # RECOGNISE: the level the province recognises
    target: str | None = None  # the level the new commune builds next (None: none given by the rule)
    unknown: tuple[str, ...] = ()  # constituents without data
    if_recognised: Proposal | None = None  # Rule.UNKNOWN: if they all held the level the others share
    if_not: Proposal | None = None  # Rule.UNKNOWN: if any of them was not recognised


def _above(level: str) -> str | None:
    i = LEVELS.index(level)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def _from_known(levels: Sequence[str | None]) -> Proposal:
    held = [lvl for lvl in levels if lvl is not None]
    if not held:
        return Proposal(Path.REASSESS, Rule.NONE, target=LEVELS[0])
    if len(held) < len(levels):
        return Proposal(Path.REASSESS, Rule.MIXED, target=LEVELS[0])
    common = min(held, key=LEVELS.index)
    if all(lvl == common for lvl in held):
        return Proposal(Path.RECOGNISE, Rule.ALL_SAME, level=common)
    return Proposal(Path.RECOGNISE, Rule.ALL_DIFFERENT, level=common, target=_above(common))


def propose(constituents: Sequence[Constituent]) -> Proposal | None:
    """The path the letter gives for a commune formed from `constituents`; None when there are none."""
    if not constituents:
        return None
    known = [c.level for c in constituents if c.known]
    unknown = tuple(c.name for c in constituents if not c.known)
    if not unknown:
        return _from_known(known)
    if known and any(lvl is None for lvl in known):  # already mixed or none: the unknown cannot lift it
        return replace(_from_known(known), unknown=unknown)
    if not known:
        return Proposal(None, Rule.UNKNOWN, unknown=unknown)
    common = min((lvl for lvl in known if lvl), key=LEVELS.index)
    return Proposal(None, Rule.UNKNOWN, unknown=unknown,
                    if_recognised=_from_known([*known, *[common] * len(unknown)]),
                    if_not=_from_known([*known, None]))
