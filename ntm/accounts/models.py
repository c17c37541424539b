"""Who may do what where: a user's roles, each scoped to an administrative unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.core.recognition import Role as CoreRole
from ntm.units.models import Unit

ROLE_LABELS = {
    CoreRole.COMMUNE_OFFICIAL: _("Cán bộ, công chức xã"),
    CoreRole.COMMUNE_LEADER: _("Lãnh đạo xã"),
    CoreRole.DISTRICT_OFFICE: _("Văn phòng Điều phối NTM huyện"),
    CoreRole.DEPARTMENT: _("Phòng, ngành huyện"),
    CoreRole.LEADER: _("Lãnh đạo Đảng, chính quyền"),
    CoreRole.PROVINCE_OFFICE: _("Văn phòng Điều phối NTM tỉnh"),
    CoreRole.ADMIN: _("Quản trị hệ thống"),
}

# The roles are the core's (ntm.core.recognition.Role, which the pure rules use); this is the same members
# and values as Django choices, with their labels: one definition, so the two cannot drift apart.
# mypy only understands the functional Enum API with literal members, not computed ones.
Role = models.TextChoices("Role", [(r.name, (r.value, ROLE_LABELS[r])) for r in CoreRole])  # type: ignore[call-overload]


class Membership(models.Model):
    """One role of one user over one unit (a commune, district or province) and what lies within it.
    A department's membership names its field (`department`, a catalog department code)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships",
                             verbose_name=_("người dùng"))
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="memberships",
                             verbose_name=_("đơn vị"))
    department = models.CharField(_("phòng/ngành"), max_length=40, blank=True)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("vai trò của người dùng")
        verbose_name_plural = _("vai trò của người dùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit", "department"], name="one_membership_per_scope"),
            models.CheckConstraint(condition=models.Q(role="admin") | models.Q(unit__isnull=False),
                                   name="membership_has_unit_unless_admin"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit or '*'}"
