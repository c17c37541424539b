"""The levels a commune (or district) is evaluated and recognised at, lowest first, and their names in
Vietnamese and English. The one list: pages, exports, reports, alerts and the merger rules read it here,
never spell a level again.

    >>> [lvl.code for lvl in LEVELS]
    ['ntm', 'ntmnc', 'model']
    >>> short("ntmnc", english=True)
    'NTMNC'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    code: str
    short_vi: str  # in headings and targets: "NTMNC 2024"
    short_en: str
    name_vi: str  # spelled out, for choosing a level: "Nông thôn mới nâng cao (NTMNC)"
    name_en: str
    phrase_vi: str  # inside a sentence: "Bộ tiêu chí xã nông thôn mới nâng cao"
    phrase_en: str

    def short(self, *, english: bool = False) -> str:
        return self.short_en if english else self.short_vi

    def name(self, *, english: bool = False) -> str:
        return self.name_en if english else self.name_vi

    def phrase(self, *, english: bool = False) -> str:
        return self.phrase_en if english else self.phrase_vi


LEVELS: tuple[Level, ...] = (  # ascending: a model commune also holds NTMNC and NTM
    Level("ntm", "NTM", "NTM", "Nông thôn mới (NTM)", "New rural (NTM)", "nông thôn mới", "new rural"),
    Level("ntmnc", "NTMNC", "NTMNC", "Nông thôn mới nâng cao (NTMNC)", "Advanced new rural (NTMNC)",
          "nông thôn mới nâng cao", "advanced new rural"),
    Level("model", "NTM kiểu mẫu", "Model NTM", "Nông thôn mới kiểu mẫu", "Model new rural",
          "nông thôn mới kiểu mẫu", "model new rural"),
)
CODES: tuple[str, ...] = tuple(lvl.code for lvl in LEVELS)
DEFAULT = "ntm"
_BY_CODE = {lvl.code: lvl for lvl in LEVELS}


def get(code: str) -> Level | None:
    return _BY_CODE.get(code)


def rank(code: str) -> int:
    """0 for NTM, 1 for NTMNC, 2 for model; an unknown code after them all."""
    return CODES.index(code) if code in _BY_CODE else len(CODES)


def sort_key(code: str) -> tuple[int, str]:
    """Known levels in ascending order, unknown ones after them by code."""
    return rank(code), code


def short(code: str, *, english: bool = False) -> str:
    """ "NTMNC"; an unknown code in capitals."""
    lvl = _BY_CODE.get(code)
    return lvl.short(english=english) if lvl else code.upper()


def name(code: str, *, english: bool = False) -> str:
    lvl = _BY_CODE.get(code)
    return lvl.name(english=english) if lvl else code.upper()


def phrase(code: str, *, english: bool = False) -> str:
    lvl = _BY_CODE.get(code)
    return lvl.phrase(english=english) if lvl else code
