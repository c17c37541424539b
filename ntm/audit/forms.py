"""The audit page's filters: user, unit, kind of object (or log-ins), action and dates."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from auditlog.registry import auditlog
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOGINS = "logins"


def _kinds() -> list[tuple[str, StrOrPromise]]:
    types = ContentType.objects.get_for_models(*auditlog.get_models())
    choices = sorted(((str(ct.pk), capfirst(str(model._meta.verbose_name))) for model, ct in types.items()),
                     key=lambda c: c[1].lower())
    return [("", _("Tất cả")), (LOGINS, _("Đăng nhập, đăng xuất")), *choices]


class AuditFilter(forms.Form):
    user = forms.CharField(label=_("Người thực hiện (tên đăng nhập)"), required=False)
    unit = forms.CharField(label=_("Đơn vị (mã hoặc tên)"), required=False)
    kind = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    action = forms.ChoiceField(label=_("Thao tác"), required=False,
                               choices=[("", _("Tất cả")), (AuditEntry.Action.CREATE, _("Tạo")),
                                        (AuditEntry.Action.UPDATE, _("Sửa")), (AuditEntry.Action.DELETE, _("Xóa")),
                                        (AuditEntry.Action.ACCESS, _("Đăng nhập/đăng xuất"))])
    since = forms.DateField(label=_("Từ ngày"), required=False,
                            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10}))
    until = forms.DateField(label=_("Đến ngày"), required=False,
                            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "size": 10}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kinds()

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        data = self.cleaned_data
        if data.get("user"):
            name = data["user"].strip()
            entries = entries.filter(Q(actor__username__iexact=name) | Q(
                actor__isnull=True, action=AuditEntry.Action.ACCESS, object_repr__iexact=name))
        if data.get("unit"):
            key = data["unit"].strip()
            entries = entries.filter(Q(unit__key=key) | Q(unit__parent__key=key) | Q(unit__parent__parent__key=key)
                                     | Q(unit__name__icontains=key))
        if data.get("kind") == LOGINS:
            entries = entries.filter(action=AuditEntry.Action.ACCESS,
                                     content_type=ContentType.objects.get_for_model(get_user_model()))
        elif data.get("kind"):
            entries = entries.filter(content_type_id=int(data["kind"]))
        if data.get("action") not in (None, ""):
            entries = entries.filter(action=int(data["action"]))
        zone = timezone.get_current_timezone()
        if data.get("since"):
            entries = entries.filter(timestamp__gte=datetime.combine(data["since"], time.min, zone))
        if data.get("until"):
            entries = entries.filter(timestamp__lte=datetime.combine(data["until"], time.max, zone))
        return entries
