"""Forms for assigning, inspecting and closing follow-ups. Choices are limited to what the user's unit
holds; the actions check the facts again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ntm.accounts.names import display_name
from ntm.catalog_source import get_catalog
from ntm.core.catalog import CriteriaSet, UnitKind
from ntm.evaluation.models import STATUS_CHOICES
from ntm.evaluation.presenters import level_label

from .reference import departments

if TYPE_CHECKING:  # annotations only
    from ntm.evaluation.periods import Period
    from ntm.units.models import Unit

INDENT = "\u2003"  # an indicator under its criterion in a select


def display_name_of(obj) -> str:
    """A set's, criterion's or indicator's name in the active language (the catalog's English when given)."""
    english = (get_language() or "vi").startswith("en")
    return (obj.name_en or obj.name_vi) if english else obj.name_vi


def commune_sets(sets: list[CriteriaSet] | None = None) -> list[CriteriaSet]:
    """The sets a picker offers: those given (the page's period), else every commune set."""
    return sets or [s for s in get_catalog().sets if s.unit_kind is UnitKind.COMMUNE]


def _item_choices(sets: list[CriteriaSet]) -> list:
    """Criteria and indicators of the given sets: values "set|criterion|indicator"; grouped only when
    there is more than one set, so one set reads as a plain list."""
    groups = []
    for cset in sets:
        options = []
        for crit in cset.criteria:
            options.append((f"{cset.id}|{crit.code}|", f"{crit.code}. {display_name_of(crit)}"))
            if len(crit.indicators) > 1:
                options += [(f"{cset.id}|{crit.code}|{i.code}", f"{INDENT}{i.code} {display_name_of(i)}")
                            for i in crit.indicators]
        groups.append((f"{level_label(cset.level)} — {display_name_of(cset)}", options))
    return groups[0][1] if len(groups) == 1 else groups


def _criterion_choices(sets: list[CriteriaSet]) -> list:
    groups = [(f"{level_label(cset.level)} — {display_name_of(cset)}",
               [(f"{cset.id}|{c.code}", f"{c.code}. {display_name_of(c)}") for c in cset.criteria]) for cset in sets]
    return [("", "—"), *(groups[0][1] if len(groups) == 1 else groups)]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class AssignmentForm(forms.Form):
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(queryset=None, label=_("Xã"))
    item = forms.ChoiceField(label=_("Tiêu chí / chỉ tiêu"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    responsible = UserChoiceField(queryset=None, label=_("Người phụ trách"))
    department = forms.ChoiceField(label=_("Phòng, ngành hỗ trợ"), required=False)
    due = forms.DateField(label=_("Hạn hoàn thành"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # what the page shows around the form, set by the view
    period: Period
    set_name: str
    other_levels: list[tuple[str, str]]

    def __init__(self, *args, communes, people, sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["responsible"].queryset = people
        self.fields["item"].choices = _item_choices(commune_sets(sets))
        self.fields["department"].choices = [("", "—"), *departments()]

    def clean(self):
        data = super().clean()
        set_id, criterion, indicator = (data.get("item") or "||").split("|")
        data.update(criteria_set=set_id, criterion=criterion, indicator=indicator)
        return data


class InspectionForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt kiểm tra"), max_length=200)
    date = forms.DateField(label=_("Ngày kiểm tra"), widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.CharField(label=_("Đoàn kiểm tra"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    communes: forms.ModelMultipleChoiceField[Unit] = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Các xã được kiểm tra"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes


class FindingForm(forms.Form):
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(queryset=None, label=_("Xã"))
    criterion = forms.ChoiceField(label=_("Tiêu chí"), required=False)
    status_seen = forms.ChoiceField(label=_("Tình trạng ghi nhận"), required=False,
                                    choices=[("", "—"), *STATUS_CHOICES])
    text = forms.CharField(label=_("Nội dung ghi nhận"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes, sets=None, **kwargs):
        kwargs.setdefault("auto_id", "finding_%s")  # shares the inspection page with FollowUpForm
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["criterion"].choices = _criterion_choices(commune_sets(sets))

    def clean(self):
        data = super().clean()
        set_id, _sep, code = (data.get("criterion") or "").partition("|")
        data.update(criteria_set=set_id, criterion=code)
        return data


class FollowUpForm(forms.Form):
    commune: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(queryset=None, label=_("Xã"))
    text = forms.CharField(label=_("Kết luận cần thực hiện"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = UserChoiceField(queryset=None, label=_("Người thực hiện"))
    due = forms.DateField(label=_("Hạn thực hiện"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, communes, people, **kwargs):
        kwargs.setdefault("auto_id", "follow_up_%s")  # shares the inspection page with FindingForm
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["owner"].queryset = people


class DoneForm(forms.Form):
    note = forms.CharField(label=_("Kết quả thực hiện"), required=False, max_length=2000)


def people_of(units) -> object:
    """Users holding a role in any of `units` (the communes and the district), by name."""
    ids = [u.pk for u in units]
    return get_user_model().objects.filter(Q(memberships__unit_id__in=ids)).distinct().order_by(
        "last_name", "first_name", "username")
