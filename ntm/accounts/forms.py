"""The forms of the account pages: a one-time code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """Six digits from the authenticator app (spaces allowed, as apps show "123 456")."""

    code = forms.CharField(label=_("Mã 6 số trong ứng dụng xác thực"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Mã gồm đúng 6 chữ số."))
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError(_("Vừa nhập sai; hãy đợi vài giây rồi nhập mã đang hiện trong ứng dụng."))
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(_("Mã không đúng hoặc đã hết hạn; hãy nhập mã đang hiện trong ứng dụng."))
        return code
