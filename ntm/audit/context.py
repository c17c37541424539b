"""Who is writing and from where, for the entries made inside `acting(...)`: each request (the middleware),
or a script or test that says so. Reset on leaving, so that nothing leaks into the next request a thread
serves (django-auditlog's own context is not reset; we never read it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.context import set_extra_data

_current: ContextVar[dict | None] = ContextVar("ntm_audit_context", default=None)


@contextmanager
def acting(actor=None, *, remote_addr: str | None = None, remote_port: int | None = None,
           request=None) -> Iterator[dict]:
    data = {"actor": actor, "remote_addr": remote_addr, "request": request}
    token = _current.set(data)
    try:
        with set_extra_data(context_data={"actor": actor, "remote_addr": remote_addr, "remote_port": remote_port}):
            yield data
    finally:
        _current.reset(token)


def current() -> dict:
    return _current.get() or {}
