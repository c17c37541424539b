"""Personas for the API tests: demo users holding API tokens, and a small client helper."""

import json

import pytest
from django.contrib.auth import get_user_model

from ntm.api.actions import create_token


def pytest_configure(config):
    config.addinivalue_line("markers", "schemathesis: property-based run of the OpenAPI schema (slower)")


QMT = "c28084"  # Quê Mỹ Thạnh
BTD = "c28090"  # Bình Trinh Đông, the commune next door
TAN_TRU = "d805"
NTMNC = "commune-ntmnc-2021-2025"


def token_of(username: str) -> str:
    return create_token(get_user_model().objects.get(username=username), name="tests")[1]


@pytest.fixture
def official_qmt(demo) -> str:
    return token_of("canbo.quemythanh")


@pytest.fixture
def official_btd(demo) -> str:
    return token_of("canbo.binhtrinhdong")


@pytest.fixture
def office_tan_tru(demo) -> str:
    return token_of("vpdp.tantru")


@pytest.fixture
def health_department(demo) -> str:
    return token_of("phong.yte")


@pytest.fixture
def admin_token(demo) -> str:
    return token_of("quantri")


class Api:
    """The API as a caller with a token (or none) sees it."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(path, json.dumps(body), content_type="application/json", headers=self.headers)


@pytest.fixture
def as_caller(client):
    return lambda token: Api(client, token)
