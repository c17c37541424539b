"""Personas for portal tests, from the Tân Trụ demo's users."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese: an English request leaves `reverse()`'s /en/ prefix behind."""
    with translation.override("vi"):
        yield


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def official_btd(demo):
    """Trần Thị Bình, commune official of Bình Trinh Đông: Quê Mỹ Thạnh is outside her scope."""
    return _user("canbo.binhtrinhdong")


@pytest.fixture
def office_tan_tru(demo):
    """Phạm Thị Dung, the district's NTM coordination office: reads every commune of Tân Trụ."""
    return _user("vpdp.tantru")
