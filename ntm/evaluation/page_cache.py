"""The area pages' parts that every reader of the area sees alike (the district page's matrix, the province
page's summary and list), rendered once and kept in Django's cache (issue 12: the whole country's province
page cost ≈ 80 ms of CPU a view, most of it the same HTML again).

A part is keyed by what it shows (page, area, level, year, the query's filters and page), the language, and
a token of the data: the results' generation (bumped whenever stored results, targets or recognitions
change) and the newest entry of the audit trail (every other write: figures, units, groups, successions,
catalog versions). Both are read from the database on every request, so a process never serves a part
older than the data it could read, whichever process or host made it and whatever cache backend is set.
The apps that own those rows register how to read them (`add_source`, from their `AppConfig.ready`);
with no source registered nothing is cached.

Only HTML that depends on no permission is cached: the views check the reader's access first and render
the links that depend on the reader's roles outside the cached part (or key the part by them). Never put a
CSRF token, a CSP nonce or anything about the reader into a cached part: a form inside one is rendered with
`CSRF_HOLE` as its token (`csrf_token` in the context), which `part(request=...)` replaces by the reader's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 600  # seconds; the token makes a part obsolete as soon as the data change
CSRF_HOLE = "ntm-csrf-hole"  # stands for the reader's CSRF token in a cached form (no reader's text has it)
_SOURCES: list[Callable[[], object]] = []
_MISSING = object()


def add_source(source: Callable[[], object]) -> None:
    """Register a reader of part of the token (None from it: nothing may be cached now)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def token(request: HttpRequest | None = None) -> str | None:
    """The data's token now, or None when parts may not be cached (no source, or one not known yet).
    With `request`, read once for it: the parts and values of one page (a GET: it writes nothing)."""
    if request is not None and hasattr(request, "_ntm_page_token"):
        return request._ntm_page_token
    if not _SOURCES:
        return None
    parts = [source() for source in _SOURCES]
    now = None if any(p is None for p in parts) else "|".join(str(p) for p in parts)
    if request is not None:
        request._ntm_page_token = now  # type: ignore[attr-defined]
    return now


def _cached[T](name: str, what: Iterable[object], make: Callable[[], T], request: HttpRequest | None) -> T:
    now = token(request)
    if now is None:
        return make()
    digest = hashlib.sha256(repr((name, get_language(), now, tuple(what))).encode()).hexdigest()
    key = f"ntm:page:{name}:{digest}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = make()
        if not isinstance(found, Fleeting):
            cache.set(key, found, TIMEOUT)
    return found


class Fleeting(str):
    """HTML that shows something no token covers (a re-evaluation's progress): served, never kept."""


def part(name: str, what: Iterable[object], render: Callable[[], str], *,
         request: HttpRequest | None = None) -> SafeString:
    """The HTML `render()` makes for `what` (plain values: keys, level, year, the query), from the cache
    while the data keep their token; with `request`, its forms get the reader's CSRF token."""
    html = _cached(name, what, render, request)
    if request is not None and CSRF_HOLE in html:
        html = html.replace(f'value="{CSRF_HOLE}"', f'value="{get_token(request)}"')
    return mark_safe(html)  # noqa: S308 -- our own template's output


def value[T](name: str, what: Iterable[object], compute: Callable[[], T], *, request: HttpRequest) -> T:
    """What `compute()` reads for `what` (rows a page needs before it knows its parts' keys, e.g. a
    commune's successions), from the cache while the data keep their token; pickled, so a copy."""
    return _cached(name, what, compute, request)


def query_key(params) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A QueryDict as a plain, ordered value for a key."""
    return tuple(sorted((k, tuple(v)) for k, v in params.lists()))
