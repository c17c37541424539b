"""Reads shared within one piece of work: what one save reads in several places (the commune's
classification, the figures and results the refresh has just written and the row's answer shows) is
read once. Outside a `scope()` block nothing is kept, so every other caller reads the database as before.

Only what cannot change inside the block is kept (nothing here is invalidated): the block is one save,
and what a save writes is put here by the code that writes it (`put`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_kept: ContextVar[dict | None] = ContextVar("ntm_shared_reads", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Share reads until the block ends (nested blocks share the outer one's)."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def get(key: Hashable, read: Callable[[], Any]) -> Any:
    """What `read()` gives, read once per block (every time outside one)."""
    kept = _kept.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    return kept[key]


def put(key: Hashable, value: Any) -> None:
    """Keep `value` for the rest of the block (nothing outside one)."""
    kept = _kept.get()
    if kept is not None:
        kept[key] = value


def peek(key: Hashable) -> Any:
    """What was kept under `key` in this block, else None."""
    kept = _kept.get()
    return None if kept is None else kept.get(key)


def titled_key(unit_id: int, year: int) -> tuple:
    """Under this key: whether the unit holds a live title granted by `year` (a recognition not revoked, of
    that year or before), which the alerts' revocation watch looks at (`ntm.alerts.selectors.at_risk`). The
    entry page's save reads it with the commune, and the watch reads nothing for a commune without one."""
    return ("holds_title", unit_id, year)
