"""The province office's choice of path for a commune formed by a merger."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, MergerPath


class MergerDecisionForm(forms.Form):
    path = forms.ChoiceField(label=_("Hướng"), choices=MergerPath.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(label=_("Mức (công nhận, hoặc mục tiêu xây dựng)"), required=False,
                              choices=[("", "—"), *Level.choices])
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=120, required=False)
    decision_date = forms.DateField(label=_("Ngày quyết định"), required=False,
                                    widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("path") == MergerPath.RECOGNISE and not data.get("level"):
            self.add_error("level", _("Công nhận xã mới cần ghi mức công nhận."))
        if data.get("path") == MergerPath.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Hướng khác cần ghi rõ trong ghi chú."))
        return data


def initial_from(proposal) -> dict:
    """The form opens on the path the rule proposes (`ntm.core.merger.Proposal`), if it gives one."""
    if proposal is None or proposal.path is None:
        return {}
    return {"path": proposal.path.value, "level": proposal.level or proposal.target or ""}
