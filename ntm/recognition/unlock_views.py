"""Unlocking figures a verified dossier locks: the province office (or an administrator) gives a reason
on the dossier page (an administrator also on the entry page); `unlock_figures` records who, when and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm.accounts.access import unit_for_reader
from ntm.figures.locks import may_unlock

from .figure_locks import FigureUnlockRefused, unlock_figures
from .models import Dossier


@login_required
@require_POST
def unlock(request: HttpRequest, key: str, dossier_id: int) -> HttpResponse:
    commune = unit_for_reader(request.user, key)
    dossier = Dossier.objects.filter(pk=dossier_id, commune=commune).first()
    if dossier is None:
        raise Http404(dossier_id)
    if not may_unlock(request.user, commune):
        raise PermissionDenied
    try:
        unlock_figures(dossier, by=request.user, reason=request.POST.get("reason", ""))
    except FigureUnlockRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã mở khóa số liệu năm %(year)s; hồ sơ bước sau sẽ khóa lại.")
                         % {"year": dossier.year})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = reverse("recognition:dossier", args=[dossier.pk])
    return redirect(back)
