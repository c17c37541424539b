"""Schemathesis over the whole OpenAPI schema, in-process against the WSGI app, with the demo loaded
and the Tân Trụ district office's token: no generated request may cause a server error.

The schema is taken from the API object at collection time (no request needed); every generated
request then goes through `ntm.wsgi.application`, like a real client's."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from ntm.api.api import api
from ntm.wsgi import application

from .conftest import token_of

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = application


@pytest.fixture
def office_headers(demo, wsgi_keeps_the_test_connection) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_of('vpdp.tantru')}"}


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Requests through the bare WSGI app fire request_started/finished, whose handler closes a
    connection left inside a transaction: on PostgreSQL that is the test's own connection. Django's test
    client unhooks that handler for the same reason; do the same around these requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.schemathesis
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_no_operation_answers_with_a_server_error(case, office_headers):
    case.call_and_validate(headers=office_headers, checks=[not_a_server_error])


def test_the_served_schema_is_valid_openapi_3(db, wsgi_keeps_the_test_connection):
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    assert loaded.raw_schema["openapi"].startswith("3.")
    assert {op.ok().path for op in loaded.get_all_operations()} >= {"/api/figures", "/api/units/{key}"}
