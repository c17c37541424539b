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

# A one-page PDF that parses (uploads are parsed whole, not only their first bytes).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
       b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
       b"startxref\n164\n%%EOF\n")
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
