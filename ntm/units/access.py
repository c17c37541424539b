"""Who may open the classification pages. The memberships that answer it live in the accounts app, above
units: it registers its checks here in `AccountsConfig.ready` (`ntm.accounts.access.unit_for_reader` and
`may_classify`), so that units imports nothing from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import Unit

_checks: dict[str, Callable[..., Any]] = {}


def register(*, unit_for_reader: Callable[[Any, str], Unit], may_classify: Callable[[Any, Unit], bool]) -> None:
    _checks.update(unit_for_reader=unit_for_reader, may_classify=may_classify)


def _check(name: str) -> Callable[..., Any]:
    if name not in _checks:
        raise ImproperlyConfigured("ntm.accounts registers who may read and classify units; it is not installed")
    return _checks[name]


def unit_for_reader(user, key: str) -> Unit:
    """The unit of that key if `user` may read it; Http404 or PermissionDenied otherwise."""
    return _check("unit_for_reader")(user, key)


def may_classify(user, province: Unit) -> bool:
    """The province's coordination office, or an administrator, decides groups and flags."""
    return _check("may_classify")(user, province)
