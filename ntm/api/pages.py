"""The page where a signed-in user lists, creates and revokes their own API tokens. A new token is shown
once, on the answer to its creation; only its first characters are kept to recognise it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .actions import create_token, revoke_tokens
from .models import ApiToken

DAYS = (30, 90, 180, 365)


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên gợi nhớ (hệ thống sẽ dùng khóa)"), max_length=100,
                           required=False)
    days = forms.TypedChoiceField(label=gettext_lazy("Hiệu lực"), coerce=int, initial=90,
                                  choices=[(d, gettext_lazy("%(days)s ngày") % {"days": d}) for d in DAYS])


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = create_token(request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {"form": form, "tokens": rows, "new_token": new_token})


@login_required
@require_POST
def revoke(request, pk: int):
    row = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if revoke_tokens(ApiToken.objects.filter(pk=row.pk)):
        messages.success(request, _("Đã thu hồi khóa %(prefix)s…") % {"prefix": row.prefix})
    return redirect("api_tokens")
