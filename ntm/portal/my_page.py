"""What a signed-in user's own page ("Trang của tôi") shows: for each of their roles, the unit it covers and
the pages that role works on (a commune's entry, a department's criteria across its communes, an office's
district or province). Each link is offered only when `ntm.accounts.access` lets the user open it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.accounts import access
from ntm.accounts.models import Membership, Role
from ntm.evaluation import periods
from ntm.units.models import Kind, Unit


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Place:
    role: str
    unit: str
    links: tuple[Link, ...]


def places(user) -> list[Place]:
    """One entry per role the user holds, the commune/district/province pages first."""
    out = []
    if access.is_admin(user):
        out.append(Place(Role(Role.ADMIN).label, _("Toàn quốc"), (
            Link(_("Toàn quốc: các tỉnh, thành phố"), reverse("evaluation:national")),
            Link(_("Tổng quan"), reverse("evaluation:home")))))
    for m in access.memberships_of(user):
        if m.unit is None or m.role == Role.ADMIN:
            continue
        out.append(Place(m.get_role_display(), m.unit.full_name, tuple(_links(user, m, m.unit))))
    return out


def _links(user, m: Membership, unit: Unit) -> list[Link]:
    if unit.kind == Kind.COMMUNE:
        return _commune_links(user, unit)
    if m.role == Role.DEPARTMENT:
        return [*_department_links(unit, m.department), *_area_links(user, unit)]
    if m.role == Role.LEADER:
        return [Link(_("Tổng quan"), reverse("evaluation:home")), *_area_links(user, unit)]
    return _area_links(user, unit)


def _commune_links(user, commune: Unit) -> list[Link]:
    links = [Link(_("Kết quả của xã"), reverse("evaluation:commune", args=[commune.key]))]
    if access.can_edit(user, commune):
        links.append(Link(_("Nhập số liệu"), reverse("figures:entry", args=[commune.key])))
    links.append(Link(_("Phân công"), reverse("workflow:commune_assignments", args=[commune.key])))
    links.append(Link(_("Hồ sơ công nhận"), reverse("recognition:commune", args=[commune.key])))
    return links


def _area_links(user, area: Unit) -> list[Link]:
    if area.kind == Kind.PROVINCE:
        return [Link(_("Trang của tỉnh"), reverse("evaluation:province", args=[area.key]))]
    if area.kind != Kind.DISTRICT:
        return []
    links = [Link(_("Trang của huyện"), reverse("evaluation:district", args=[area.key])),
             Link(_("Phân công"), reverse("workflow:district_assignments", args=[area.key]))]
    if access.is_office_for(user, area):
        links.append(Link(_("Kết luận quá hạn"), reverse("workflow:overdue", args=[area.key])))
    if access.oversees(user, area):
        links.append(Link(_("Nguy cơ thu hồi"), reverse("alerts:revocation_risk", args=[area.key])))
    return links


def _department_links(area: Unit, department: str) -> list[Link]:
    """The criteria with an indicator of the department's field, each across the area's communes, in the
    period the area's page opens on."""
    if area.kind not in (Kind.DISTRICT, Kind.PROVINCE) or not department:
        return []
    period = periods.choose(area)
    cset = period.cset
    if cset is None:
        return []
    name = "evaluation:province_criterion" if area.kind == Kind.PROVINCE else "evaluation:criterion"
    english = (get_language() or "vi").startswith("en")
    links = []
    for crit in cset.criteria:
        if any(i.department == department for i in crit.indicators):
            label = f"{crit.code}. {(crit.name_en or crit.name_vi) if english else crit.name_vi}"
            url = reverse(name, args=[area.key, cset.id, crit.code])
            links.append(Link(label, f"{url}?year={period.year}"))
    return links

