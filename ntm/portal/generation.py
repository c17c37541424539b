"""The generation of the published results: a token that changes whenever stored results change (and
whenever a target or a recognition does), so pages built from them (the public home page) are cached
until then, in every process of every host, without a shared cache server.

`bump()` runs when the evaluation app announces `results_written` (connected in `PortalConfig.ready`),
inside the transaction that wrote them: the new generation is seen by others when it commits."""

from __future__ import annotations

import uuid

from .models import ResultsGeneration

KEEP = 20  # rows kept when pruning; only the newest is read
PRUNE_EVERY = 100


def bump() -> None:
    """Say that the published results changed."""

    row = ResultsGeneration.objects.create(token=uuid.uuid4().hex)
    if row.pk % PRUNE_EVERY == 0:
        ResultsGeneration.objects.filter(pk__lt=row.pk - KEEP).delete()


def current() -> str | None:
    """The token of the newest generation, or None when results were never written through `bump`
    (then nothing may be cached: the results could be any)."""

    return ResultsGeneration.objects.order_by("-pk").values_list("token", flat=True).first()
