"""Name folding for searching Vietnamese unit names with or without diacritics."""

from __future__ import annotations

import re
import unicodedata

# Division prefixes as they start official names, longest first so "Thị trấn" wins over "Thị".
DIVISION_PREFIXES: tuple[str, ...] = (
    "thành phố trung ương", "thành phố", "thị trấn", "thị xã", "đặc khu",
    "tỉnh", "huyện", "quận", "xã", "phường",
)
_FOLDED_PREFIXES: tuple[tuple[str, str], ...] = ()  # filled below: (folded prefix, division type)


def fold(text: str) -> str:
    """Lower-case, without diacritics (đ → d), hyphens as spaces, whitespace collapsed.

    >>> fold("Xã Quê Mỹ Thạnh")
    'xa que my thanh'
    >>> fold("Tỉnh Bà Rịa - Vũng Tàu")
    'tinh ba ria vung tau'
    """
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("-", " ").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


_FOLDED_PREFIXES = tuple((fold(p), p) for p in DIVISION_PREFIXES)


def split_prefix(text: str) -> tuple[str, str]:
    """Split a leading division prefix off a (folded or not) name: ("xa", "que my thanh").

    Returns ("", folded name) when there is no prefix. The prefix is returned folded.
    """
    folded = fold(text)
    for prefix, _ in _FOLDED_PREFIXES:
        if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
            return prefix, folded[len(prefix) + 1:]
    return "", folded
