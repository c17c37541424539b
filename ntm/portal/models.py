"""What the public pages cache by: one row per change of the published results (`ntm.portal.generation`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultsGeneration(models.Model):
    """One change of what the public home page shows: stored results, a target or a recognition. The
    newest row's token keys the home page's cached figures. Writers only insert (no row is locked
    between two evaluations running at once) and the row becomes visible with their commit, so a
    reader never caches figures of a transaction it cannot see yet; old rows are pruned."""

    token = models.CharField(_("mã thế hệ"), max_length=32)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thế hệ kết quả công bố")
        verbose_name_plural = _("các thế hệ kết quả công bố")

    def __str__(self) -> str:
        return self.token
