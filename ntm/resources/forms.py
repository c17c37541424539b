from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Source


class FundingForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    criteria_set = forms.ChoiceField(label=_("Bộ tiêu chí"))
    criterion = forms.CharField(label=_("Tiêu chí (để trống nếu chung)"), max_length=16, required=False)
    source = forms.ChoiceField(label=_("Nguồn"), choices=Source.choices)
    amount = forms.CharField(label=_("Số tiền (đồng)"), max_length=40,
                             help_text=_("Số đồng, có thể viết 1.250.000.000"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, sets: list[tuple[str, str]], criteria: dict[str, set[str]], **kwargs):
        super().__init__(*args, **kwargs)
        criteria_set = self.fields["criteria_set"]
        assert isinstance(criteria_set, forms.ChoiceField)  # declared above
        criteria_set.choices = sets
        self._criteria = criteria

    def clean_amount(self) -> Decimal:
        raw = re.sub(r"[\s.đ]", "", self.cleaned_data["amount"].replace("VND", ""))  # dots group thousands
        if not raw.isdigit() or int(raw) <= 0:
            raise forms.ValidationError(_("Cần một số đồng lớn hơn 0, ví dụ 1.250.000.000."))
        return Decimal(raw)

    def clean(self):
        data = super().clean()
        code, set_id = data.get("criterion", "").strip(), data.get("criteria_set")
        if code and set_id and code not in self._criteria.get(set_id, set()):
            self.add_error("criterion", _("Tiêu chí %(code)s không có trong bộ tiêu chí này.") % {"code": code})
        data["criterion"] = code
        return data
