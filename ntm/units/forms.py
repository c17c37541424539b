from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.workbooks.forms import UploadForm

from .models import CommuneGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DecisionForm(forms.Form):
    """The province's decision that the classification follows."""

    decision_number = forms.CharField(label=_("Số quyết định"), max_length=80,
                                      widget=forms.TextInput(attrs={"placeholder": "123/QĐ-UBND"}))
    decision_date = forms.DateField(label=_("Ngày ký"), widget=DATE, input_formats=DATE_FORMATS)
    decision_issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Có hiệu lực từ"), widget=DATE, input_formats=DATE_FORMATS)


class ListUploadForm(UploadForm, DecisionForm):
    pass


FLAG_CHOICES = [("", _("— giữ nguyên —")), ("yes", _("Có")), ("no", _("Không"))]


class BulkForm(DecisionForm):
    """Set a group (and flags) for the communes ticked on the page."""

    units = forms.MultipleChoiceField(label=_("Xã"), widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": _("Hãy chọn ít nhất một xã.")})
    commune_group = forms.ChoiceField(label=_("Nhóm xã"), required=False,
                                      choices=[("", _("— giữ nguyên —")), *CommuneGroup.choices])
    specially_disadvantaged = forms.ChoiceField(label=_("Đặc biệt khó khăn"), choices=FLAG_CHOICES, required=False)
    mountain = forms.ChoiceField(label=_("Miền núi"), choices=FLAG_CHOICES, required=False)
    island = forms.ChoiceField(label=_("Hải đảo"), choices=FLAG_CHOICES, required=False)
    coastal = forms.ChoiceField(label=_("Ven biển"), choices=FLAG_CHOICES, required=False)

    def __init__(self, *args, communes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.MultipleChoiceField)  # declared above
        units.choices = [(u.key, u.full_name) for u in communes]

    def clean(self):
        data = super().clean()
        if not data.get("commune_group") and not any(data.get(f) for f in ("specially_disadvantaged", "mountain",
                                                                            "island", "coastal")):
            raise forms.ValidationError(_("Hãy chọn nhóm xã hoặc một đặc điểm cần ghi."))
        return data
