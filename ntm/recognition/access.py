"""Who may see a dossier and in which roles a user acts on a commune. Views get dossiers only through
`dossier_for_reader`, which raises 404 or 403 like the units' access helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.access import can_read
from ntm.accounts.access import roles_over as roles_over  # the one place (accounts); the dossier pages import it here

from .models import Dossier, DossierDocument


def dossier_for_reader(user, dossier_id: int) -> Dossier:
    try:
        dossier = Dossier.objects.select_related("commune", "commune__parent", "commune__parent__parent").get(
            pk=dossier_id)
    except Dossier.DoesNotExist:
        raise Http404(dossier_id) from None
    if not can_read(user, dossier.commune):
        raise PermissionDenied
    return dossier


def document_for_reader(user, dossier_id: int, document_id: int) -> DossierDocument:
    dossier = dossier_for_reader(user, dossier_id)
    try:
        return dossier.documents.get(pk=document_id)
    except DossierDocument.DoesNotExist:
        raise Http404(document_id) from None
