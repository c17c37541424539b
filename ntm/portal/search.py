"""Pure matching for the search box: fold the query and the names the same way, keep a name only when
every word of the query is found in it, and rank exact > prefix > contains > words in any order.
No Django import: the selectors hand over folded names and get ranks back."""

from __future__ import annotations

from enum import IntEnum

from ntm.units.text import fold

__all__ = ["Rank", "fold", "rank", "words"]


class Rank(IntEnum):
    """Lower is better."""

    EXACT = 0  # "que my thanh" for "Quê Mỹ Thạnh"
    PREFIX = 1  # "que my" for "Quê Mỹ Thạnh"
    CONTAINS = 2  # "my thanh" for "Quê Mỹ Thạnh": the phrase, from the start of a word
    WORDS = 3  # "thanh que" for "Quê Mỹ Thạnh": every word starts a word of the name, in any order


def words(folded: str) -> list[str]:
    return folded.split()


def rank(query: str, name: str) -> Rank | None:
    """How well folded `query` matches folded `name`, or None when a word of the query is missing.

    >>> rank("que my thanh", "que my thanh")
    <Rank.EXACT: 0>
    >>> rank("thanh que", "que my thanh")
    <Rank.WORDS: 3>
    >>> rank("que xa", "que my thanh") is None
    True
    """
    if not query:
        return None
    if name == query:
        return Rank.EXACT
    if name.startswith(query):
        return Rank.PREFIX
    if f" {query}" in f" {name}":
        return Rank.CONTAINS
    name_words = words(name)
    if all(any(w.startswith(q) for w in name_words) for q in words(query)):
        return Rank.WORDS
    return None


def code_rank(query: str, code: str) -> Rank | None:
    """A catalog code ("10.1", "D4.2") matches exactly, or as the start of a longer code ("10" → "10.1")."""
    query, code = query.strip().lower(), code.lower()
    if not query:
        return None
    if code == query:
        return Rank.EXACT
    if code.startswith(query) and not query[-1].isdigit() or code.startswith(query + "."):
        return Rank.PREFIX
    return None
