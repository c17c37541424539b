"""Forms of the catalog workbench. They check what a form can (required fields, numbers, dates); what the
catalog requires (a document for every value, coverage of every group…) is the loader's to say."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

STATUS_CHOICES = [("official", _("Chính thức (có văn bản)")), ("provisional", _("Tạm tính (ghi lý do)"))]
COMPARISON_CHOICES = [
    (">=", _("Số: đạt khi từ mức trở lên (≥)")),
    ("<=", _("Số: đạt khi không quá mức (≤)")),
    ("=", _("Số: đạt khi bằng mức (=)")),
    ("met", _("Đánh giá Đạt/Không đạt")),
]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SourceFields(forms.Form):
    """The provenance of a criterion or indicator."""

    source_status = forms.ChoiceField(label=_("Nguồn"), choices=STATUS_CHOICES)
    source_document = forms.ChoiceField(label=_("Văn bản"), required=False)
    source_urls = forms.CharField(label=_("Nơi đọc được văn bản (mỗi dòng một địa chỉ)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    source_note = forms.CharField(label=_("Ghi chú nguồn"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_document"].choices = [("", "—"), *documents]

    def source(self) -> dict:
        d = self.cleaned_data
        out: dict = {"status": d["source_status"]}
        if d.get("source_document"):
            out["document"] = d["source_document"]
        if _lines(d.get("source_urls")):
            out["urls"] = _lines(d["source_urls"])
        if (d.get("source_note") or "").strip():
            out["note"] = d["source_note"].strip()
        return out

    @staticmethod
    def initial_from(source: dict | None) -> dict:
        source = source or {}
        return {"source_status": source.get("status", "official"), "source_document": source.get("document", ""),
                "source_urls": "\n".join(source.get("urls") or []), "source_note": source.get("note", "")}


class IndicatorForm(SourceFields):
    criterion = forms.ChoiceField(label=_("Thuộc tiêu chí"))
    code = forms.CharField(label=_("Mã chỉ tiêu"), max_length=16, help_text=_("vd. 1.1"))
    name_vi = forms.CharField(label=_("Tên (tiếng Việt)"), max_length=400)
    name_en = forms.CharField(label=_("Tên (tiếng Anh)"), max_length=400)
    comparison = forms.ChoiceField(label=_("Cách đánh giá"), choices=COMPARISON_CHOICES)
    unit = forms.ChoiceField(label=_("Đơn vị tính"), required=False)
    department = forms.ChoiceField(label=_("Phòng/ngành phụ trách"), required=False)

    field_order = ["criterion", "code", "name_vi", "name_en", "comparison", "unit", "department"]

    def __init__(self, *args, criteria=(), units=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = list(criteria)
        self.fields["unit"].choices = [("", _("(không có đơn vị)")), *[(u, u) for u in units if u]]
        self.fields["department"].choices = [("", "—"), *departments]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code or any(ch.isspace() for ch in code):
            raise forms.ValidationError(_("Mã chỉ tiêu không được có khoảng trắng."))
        return code

    def indicator(self) -> dict:
        d = self.cleaned_data
        return {"code": d["code"], "name_vi": d["name_vi"].strip(), "name_en": d["name_en"].strip(),
                "unit": d.get("unit") or "", "comparison": d["comparison"], "department": d.get("department") or "",
                "source": self.source()}


class ThresholdForm(forms.Form):
    scope = forms.ChoiceField(label=_("Vùng/nhóm"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 5}))
    value = forms.DecimalField(label=_("Mức"), required=False, max_digits=14, decimal_places=4, localize=True,
                               widget=forms.TextInput(attrs={"size": 7, "inputmode": "decimal"}))
    status = forms.ChoiceField(label=_("Nguồn"), choices=STATUS_CHOICES, required=False)
    document = forms.ChoiceField(label=_("Văn bản"), required=False)
    urls = forms.CharField(label=_("Địa chỉ"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args, scopes=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "—"), ("*", _("* (mọi vùng/nhóm)")), *scopes]
        self.fields["document"].choices = [("", "—"), *documents]

    def threshold(self) -> dict | None:
        """The YAML mapping of the row; None for a blank row."""
        d = self.cleaned_data
        if not d.get("scope"):
            return None
        out: dict = {"scope": d["scope"]}
        if d.get("year") is not None:
            out["year"] = d["year"]
        value = d.get("value")
        out["value"] = None if value is None else (int(value) if value == value.to_integral() else float(value))
        if value is not None:
            out["status"] = d.get("status") or "official"
        if d.get("document"):
            out["document"] = d["document"]
        if (d.get("urls") or "").strip():
            out["urls"] = (d["urls"] or "").split()
        if (d.get("note") or "").strip():
            out["note"] = d["note"].strip()
        return out


class BaseThresholdFormSet(forms.BaseFormSet):
    def thresholds(self) -> list[dict]:
        return [t for t in (f.threshold() for f in self.forms) if t is not None]


# formset_factory is typed as returning the plain BaseFormSet; the class it makes subclasses `formset`
ThresholdFormSet = cast(type[BaseThresholdFormSet],
                        forms.formset_factory(ThresholdForm, formset=BaseThresholdFormSet, extra=0, max_num=200))


def threshold_initial(t: dict) -> dict:
    return {"scope": t.get("scope", "*"), "year": t.get("year"), "value": t.get("value"),
            "status": t.get("status", "official"), "document": t.get("document", ""),
            "urls": " ".join(t.get("urls") or []), "note": t.get("note", "")}


class CriterionForm(SourceFields):
    number = forms.IntegerField(label=_("Số thứ tự"), min_value=0, max_value=999)
    code = forms.CharField(label=_("Mã tiêu chí"), max_length=16)
    name_vi = forms.CharField(label=_("Tên (tiếng Việt)"), max_length=300)
    name_en = forms.CharField(label=_("Tên (tiếng Anh)"), max_length=300)
    group_vi = forms.CharField(label=_("Nhóm tiêu chí"), max_length=200, required=False)
    key = forms.BooleanField(label=_("Tiêu chí then chốt (xét thu hồi)"), required=False)
    alternatives = forms.CharField(
        label=_("Phương án thay thế"), required=False, max_length=500,
        help_text=_("Các nhóm chỉ tiêu, nhóm cách nhau bằng dấu chấm phẩy: vd. 5.1, 5.2; 5.3"))

    field_order = ["number", "code", "name_vi", "name_en", "group_vi", "key", "alternatives"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code or any(ch.isspace() for ch in code):
            raise forms.ValidationError(_("Mã tiêu chí không được có khoảng trắng."))
        return code


class DocumentForm(forms.Form):
    doc_id = forms.SlugField(label=_("Mã văn bản"), max_length=60, help_text=_("vd. LA-NTM-1234-2026"))
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("vd. 1234/QĐ-UBND"))
    title_vi = forms.CharField(label=_("Trích yếu"), max_length=400)
    signed = forms.DateField(label=_("Ngày ký"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    urls = forms.CharField(label=_("Nơi đọc được (mỗi dòng một địa chỉ)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def document(self) -> dict:
        d = self.cleaned_data
        out = {"id": d["doc_id"], "number": d["number"].strip(), "title_vi": d["title_vi"].strip()}
        if d.get("signed"):
            out["signed"] = d["signed"]
        if _lines(d.get("urls")):
            out["urls"] = _lines(d["urls"])
        return out


class NewLayerForm(DocumentForm):
    base = forms.ChoiceField(label=_("Bộ tiêu chí nền"))
    province = forms.ChoiceField(label=_("Tỉnh"))
    layer_id = forms.SlugField(label=_("Mã lớp"), max_length=64, help_text=_("vd. long-an-ntm-2026-2030"))
    name_vi = forms.CharField(label=_("Tên (tiếng Việt)"), max_length=300)
    name_en = forms.CharField(label=_("Tên (tiếng Anh)"), max_length=300)
    effective_from = forms.DateField(label=_("Có hiệu lực từ"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["base", "province", "layer_id", "name_vi", "name_en", "effective_from", "doc_id", "number",
                   "title_vi", "signed", "urls"]

    def __init__(self, *args, bases=(), provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].choices = list(bases)
        self.fields["province"].choices = list(provinces)


class YamlForm(forms.Form):
    text = forms.CharField(label=_("Nội dung YAML"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100,
                                                                                 "spellcheck": "false"}))


class ApproveForm(forms.Form):
    takes_effect = forms.DateField(label=_("Có hiệu lực từ"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("Để trống: từ hôm nay."))
    note = forms.CharField(label=_("Ý kiến phê duyệt"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Lý do trả lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp YAML"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)
