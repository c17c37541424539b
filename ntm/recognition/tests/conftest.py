"""Personas from the Tân Trụ demo, and a builder that walks a dossier through the real actions."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from ntm.core.recognition import Step, path
from ntm.recognition import actions
from ntm.recognition.checklists import checklist
from ntm.units.models import Unit

PDF = b"%PDF-1.4\n%%EOF\n"
BEFORE = date(2024, 6, 20)
AFTER = date(2025, 9, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def people(demo):
    class People:
        official = user("canbo.quemythanh")
        leader = user("lanhdao.quemythanh")
        district = user("vpdp.tantru")
        province = user("vpdp.longan")
        admin = user("quantri")
        outsider = user("canbo.binhtrinhdong")

    return People


@pytest.fixture
def qmt(demo):
    return Unit.objects.get(key="c28084")


def upload_for(dossier, step, by, today):
    for doc in checklist():
        if doc.step == step:
            actions.upload_document(dossier, kind=doc.code, upload=ContentFile(PDF, name=f"{doc.code}.pdf"),
                                    by=by, today=today)


def walk(dossier, people, *, to, today=BEFORE):
    """Take the forward steps through the actions, uploading each step's documents first."""
    takers = {Step.SUBMITTED: people.official, Step.VERIFIED: people.district, Step.APPRAISED: people.province}
    steps = path(today)
    for step in steps[steps.index(Step(dossier.step)) + 1:]:
        if step == Step.RECOGNISED or dossier.step == to:
            break
        upload_for(dossier, step, takers[step], today)
        dossier = actions.advance_dossier(dossier, to=step, by=takers[step], comment="ok", today=today)
    return dossier
