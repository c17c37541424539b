"""Who may see a dossier and in which roles a user acts on a commune. Views get dossiers only through
`dossier_for_reader`, which raises 404 or 403 like the units' access helpers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ntm.accounts.access import can_read, is_admin
from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

from .models import Dossier, DossierDocument


def roles_over(user, commune: Unit) -> set[str]:
    """The roles a user holds over a commune: on it, its district or its province ("admin" for admins)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    scopes = {commune.pk, commune.parent_id}
    if commune.parent is not None:
        scopes.add(commune.parent.parent_id)
    roles = set(Membership.objects.filter(user=user, unit_id__in=scopes - {None}).values_list("role", flat=True))
    if is_admin(user):
        roles.add(Role.ADMIN)
    return roles


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
