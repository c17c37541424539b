"""Recording the path of a commune formed by a merger: the form sits on the commune page; it posts here,
and a refused form comes back on this page with its errors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ntm.accounts.access import unit_for_reader
from ntm.core.merger import Proposal
from ntm.evaluation.lineage import commune_lineage
from ntm.units.models import Unit

from . import merger
from .merger_forms import MergerDecisionForm, initial_from


@login_required
def decide(request: HttpRequest, key: str) -> HttpResponse:
    commune = unit_for_reader(request.user, key)
    if not merger.can_decide(request.user, commune):
        raise PermissionDenied
    lineage = commune_lineage(commune, request.user)
    if not lineage:
        raise Http404(key)
    proposal = lineage.proposal.proposal if lineage.proposal else None
    form = MergerDecisionForm(request.POST or None, initial=initial_from(proposal))
    if request.method == "POST" and form.is_valid():
        merger.record_decision(commune, by=request.user, proposed=lineage.proposal.path if lineage.proposal else "",
                               **form.cleaned_data)
        messages.success(request, _("Đã ghi hướng công nhận của %(name)s.") % {"name": commune.full_name})
        return redirect(reverse("evaluation:commune", args=[commune.key]) + "#merger")
    return render(request, "recognition/merger_decide.html", {"commune": commune, "lineage": lineage, "form": form})


def decision_on_page(commune: Unit, user, proposal: Proposal | None) -> tuple:
    """The path chosen, whether `user` may choose, and the form that opens on the proposal: what the
    commune page's lineage shows (registered with ntm.evaluation.lineage in `RecognitionConfig.ready`)."""
    may_decide = merger.can_decide(user, commune)
    form = MergerDecisionForm(initial=initial_from(proposal)) if may_decide else None
    return merger.current_decision(commune), may_decide, form
