"""Which administrative unit an audited object concerns, so that a province office reads the entries of its
province. Read from the object's own foreign keys (a figure's unit, a dossier's commune, a step's dossier),
the user's role for accounts and tokens, and what an app registers for its models (`register_unit_of`: the
province a catalog layer names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from ntm.accounts.models import Membership
from ntm.units.models import Unit

UNIT_FIELDS = ("unit", "commune", "district", "successor")  # a foreign key to Unit under one of these names
VIA_FIELDS = ("dossier", "inspection", "finding")  # else the unit of the object it belongs to
USER_FIELDS = ("user",)  # else the unit of the user it belongs to (memberships, tokens, devices, settings)


def _fk(model: type[models.Model], name: str) -> models.ForeignKey | None:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations alike
        return None
    return field if isinstance(field, models.ForeignKey | models.OneToOneField) else None


def home_unit_id(user_id: int | None) -> int | None:
    """The unit of a user's first role with a unit (None for administrators without one)."""
    if user_id is None:
        return None
    return (Membership.objects.filter(user_id=user_id, unit__isnull=False).order_by("pk")
            .values_list("unit_id", flat=True).first())


# The unit of the objects of a model that none of the fields above leads to, by model label (a catalog layer:
# the province it names); the app of the model registers it in its AppConfig.ready.
UNIT_OF: dict[str, Callable[[Any], int | None]] = {}


def register_unit_of(label: str, unit_id: Callable[[Any], int | None]) -> None:
    UNIT_OF[label] = unit_id


def unit_id_of(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Unit):
        return obj.pk
    if isinstance(obj, get_user_model()):
        return home_unit_id(obj.pk)
    model = type(obj)
    if (own := UNIT_OF.get(model._meta.label_lower)) is not None:
        return own(obj)
    for name in UNIT_FIELDS:
        field = _fk(model, name)
        if field is not None and field.related_model is Unit:
            return getattr(obj, field.attname)
    for name in VIA_FIELDS:
        if _fk(model, name) is not None:
            return unit_id_of(getattr(obj, name, None))
    for name in USER_FIELDS:
        field = _fk(model, name)
        if field is not None and field.related_model is get_user_model():
            return home_unit_id(getattr(obj, field.attname))
    return None
