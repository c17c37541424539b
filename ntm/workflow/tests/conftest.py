"""Personas for the workflow tests, on the Tân Trụ demo with its plan, assignments and inspection."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from ntm.workflow.demo import create_demo_workflow

QMT, BTD, TAN_TRU = "c28084", "c28090", "d805"


@pytest.fixture(autouse=True)
def _vietnamese():
    """Selectors word their results in the active language; a page test in English must not leak into them."""
    with translation.override("vi"):
        yield


@pytest.fixture
def workflow_demo(demo):
    create_demo_workflow()
    return demo


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def official_qmt(workflow_demo):
    return _user("canbo.quemythanh")


@pytest.fixture
def official_btd(workflow_demo):
    return _user("canbo.binhtrinhdong")


@pytest.fixture
def leader_qmt(workflow_demo):
    return _user("lanhdao.quemythanh")


@pytest.fixture
def office_tan_tru(workflow_demo):
    return _user("vpdp.tantru")


@pytest.fixture
def agriculture_dept(workflow_demo):
    return _user("phong.nongnghiep")
