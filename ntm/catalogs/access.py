"""Who may use the catalog workbench, edit a version and approve it.

The province coordination office and administrators use the workbench. Anyone of them may draft a new
version of a national set (an office transcribes the decision); a province office drafts layers only for
its own province(s). Publishing a national set is for administrators; a province layer may be approved by
an administrator or by the office of every province it covers. Nobody approves their own draft."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ntm.accounts.access import is_admin, memberships_of
from ntm.accounts.models import Role
from ntm.units.models import Unit

from .models import CatalogVersion, Kind, State


def own_provinces(user) -> list[tuple[str, str]]:
    """(unit key, name) of the provinces whose coordination office the user belongs to."""
    out = []
    for m in memberships_of(user):
        if m.role == Role.PROVINCE_OFFICE and m.unit is not None and (m.unit.key, m.unit.name) not in out:
            out.append((m.unit.key, m.unit.name))
    return out


def may_use(user) -> bool:
    return getattr(user, "is_authenticated", False) and (is_admin(user) or bool(own_provinces(user)))


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied


def layer_provinces_allowed(user, province_keys) -> bool:
    if is_admin(user):
        return True
    own = {key for key, _name in own_provinces(user)}
    keys = set(province_keys)
    return bool(own) and bool(keys) and keys <= own


def may_edit(user, version: CatalogVersion) -> bool:
    """May change a draft (and start one from the same set or layer)."""
    if version.state != State.DRAFT or not may_use(user):
        return False
    return may_write_text(user, version.kind, province_keys_of(version.text))


def may_write_text(user, kind: str, province_keys) -> bool:
    if not may_use(user):
        return False
    if kind == Kind.LAYER:
        return layer_provinces_allowed(user, province_keys)
    return True


def may_approve(user, version: CatalogVersion) -> bool:
    """Shown the approve button: a second person with the right to publish that set or layer."""
    if version.state != State.DRAFT or not may_use(user) or is_author(user, version):
        return False
    if version.kind == Kind.LAYER:
        return layer_provinces_allowed(user, province_keys_of(version.text))
    return is_admin(user)


def is_author(user, version: CatalogVersion) -> bool:
    return version.created_by_id is not None and version.created_by_id == getattr(user, "pk", None)


def province_keys_of(text: str) -> list[str]:
    """The province keys a layer's text names ([] for a set or unreadable text)."""
    import yaml

    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return []
    return [str(p.get("key")) for p in raw.get("provinces") or [] if isinstance(p, dict) and p.get("key")]


def audit_unit_id(version: CatalogVersion) -> int | None:
    """The unit whose office reads this version's audit entries: the province a layer names (registered with
    ntm.audit.scope in `CatalogsConfig.ready`)."""
    keys = province_keys_of(version.text) if version.kind == "layer" else []
    return Unit.objects.filter(key=keys[0]).values_list("pk", flat=True).first() if keys else None


def is_admin_user(user) -> bool:
    return is_admin(user)


def create_checked_draft(user, text: str, *, note: str = "") -> CatalogVersion:
    """`create_draft` for a user who may write that set or layer (PermissionDenied otherwise)."""
    import yaml

    from . import actions, editing

    try:
        raw = editing.load(text)
    except (yaml.YAMLError, editing.EditError) as exc:
        raise actions.VersionRefused(_("Tệp YAML không đọc được: %(e)s") % {"e": exc}) from exc
    kind = Kind.LAYER if editing.is_layer(raw) else Kind.SET
    provinces = [str(p.get("key")) for p in raw.get("provinces") or [] if isinstance(p, dict)]
    if not may_write_text(user, kind, provinces):
        raise PermissionDenied
    return actions.create_draft(text, by=user, note=note)
