"""Application logs: one line per request, each line tagged with the request's id, slow SQL statements.

The request id is kept in a context variable so that any log record written while a request is served
(Django's own error with its traceback, a job's failure) carries it; `RequestIdFilter` copies it onto the
record. The JSON formatter is a small `logging.Formatter` subclass: the standard library already has
everything needed and the fields are few, so a dependency (python-json-logger) would add nothing."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections
from django.utils.functional import empty

request_log = logging.getLogger("ntm.request")
sql_log = logging.getLogger("ntm.sql")

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("ntm_request_id", default=None)

# A request id from the proxy is kept when it looks like one; anything else (too long, spaces, quotes) would
# let a client write into our logs, so a fresh one replaces it.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Fields a record may carry beyond the standard ones, in the order the JSON line shows them.
EXTRA_FIELDS = ("request_id", "method", "path", "user", "status", "duration_ms", "sql")
SQL_MAX_CHARS = 1000


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request fields present,
    and the traceback of an error."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a person at a terminal: time, level, logger, [request id], message (and traceback)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request_tag)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f" [{request_id}]" if request_id else ""
        return super().format(record)


def _request_id(request) -> str:
    incoming = request.headers.get("X-Request-ID", "")
    return incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _user(request) -> str | None:
    """The user name, only when the request already looked the user up (logging never costs a query): the
    API's caller (`request.auth`, django-ninja) or the session's user."""
    auth = getattr(request, "auth", None)
    if auth is not None and hasattr(auth, "get_username"):
        return auth.get_username()
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.get_username() if user.is_authenticated else None


class RequestLogMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when sane), sends it back in the response, logs one
    line when the response is ready and every SQL statement slower than NTM_SLOW_QUERY_MS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _request_id(request)
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            with ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_slow_query_logger))
                response = self.get_response(request)
            response["X-Request-ID"] = request.id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            request_log.info("%s %s %s %.0f ms", request.method, request.path, response.status_code, duration_ms,
                             extra={"request_id": request.id, "method": request.method, "path": request.path,
                                    "user": _user(request), "status": response.status_code,
                                    "duration_ms": duration_ms})
            return response
        finally:
            current_request_id.reset(token)


def _slow_query_logger(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        if duration_ms >= settings.NTM_SLOW_QUERY_MS:
            text = sql if len(sql) <= SQL_MAX_CHARS else sql[:SQL_MAX_CHARS] + "…"
            sql_log.warning("slow query %.0f ms (%s)", duration_ms, context["connection"].alias,
                            extra={"request_id": current_request_id.get(), "sql": text,
                                   "duration_ms": duration_ms})
