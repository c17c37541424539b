"""What the API reads and writes. Texts in the catalog come in both languages (`name_vi`, `name_en`);
decimals travel as strings ("76.0000") so that no value loses digits on the way."""


from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

NoNul = Annotated[str, Field(pattern=r"^[^\x00]*$")]  # PostgreSQL text cannot hold NUL


class Message(Schema):
    detail: str


# --- Units ----------------------------------------------------------------------------------------


class UnitRef(Schema):
    key: str
    code: str
    name: str
    kind: str


class UnitOut(Schema):
    key: str
    code: str
    name: str
    full_name: str
    division_type: str
    kind: str
    parent: str | None = Field(None, description="Khóa đơn vị cấp trên / parent unit key")
    valid_from: date | None
    valid_to: date | None
    region: str
    commune_group: str
    specially_disadvantaged: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.key if obj.parent_id else None


class SuccessionOut(Schema):
    unit: UnitRef
    effective: date
    partial: bool
    source: str


# --- Catalog --------------------------------------------------------------------------------------


class DocumentOut(Schema):
    id: str
    number: str
    title_vi: str
    signed: date | None
    urls: list[str]


class SourceOut(Schema):
    status: str = Field(description="official | provisional")
    document: DocumentOut | None
    urls: list[str]
    note: str


class ThresholdOut(Schema):
    scope: str = Field(description="Vùng, nhóm xã hoặc * / region, commune group or *")
    year: int | None
    value: Decimal | None = Field(description="None: chưa có ngưỡng chính thức / no official value yet")
    source: SourceOut


class IndicatorOut(Schema):
    code: str
    name_vi: str
    name_en: str
    unit: str
    comparison: str
    department: str
    derived_from_level: str | None
    minimum: Decimal | None
    maximum: Decimal | None
    source: SourceOut
    thresholds: list[ThresholdOut]


class CriterionOut(Schema):
    code: str
    number: int
    name_vi: str
    name_en: str
    key: bool
    group_vi: str
    alternatives: list[list[str]]
    source: SourceOut
    indicators: list[IndicatorOut]


class CriteriaSetSummary(Schema):
    id: str
    version: str
    level: str
    unit_kind: str
    name_vi: str
    name_en: str
    document: DocumentOut | None
    effective_from: date
    effective_to: date | None
    dimension: str
    scopes: list[str]
    criteria_count: int
    source: SourceOut


class CriteriaSetOut(CriteriaSetSummary):
    criteria: list[CriterionOut]


# --- Figures --------------------------------------------------------------------------------------


class OfUnit(Schema):
    """A row about one unit: its key and full name."""

    unit: str
    unit_name: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.full_name


class FigureOut(OfUnit):
    id: int
    criteria_set: str
    indicator: str
    year: int
    value: Decimal | None
    bound: str = Field("", description="\"\" đúng bằng `value`; \">\", \">=\", \"<\", \"<=\": nguồn chỉ ghi giới hạn "
                                       "(\"> 96\") / \"\" exactly `value`; otherwise the source gives only a bound")
    verdict: bool | None
    judged_by: str
    source_note: str
    entered_by: str | None
    entered_at: datetime
    superseded_at: datetime | None
    current: bool

    @staticmethod
    def resolve_entered_by(obj) -> str | None:
        return obj.entered_by.get_username() if obj.entered_by_id else None

    @staticmethod
    def resolve_current(obj) -> bool:
        return obj.superseded_at is None


class FigureIn(Schema):
    """A new value, or a correction of the current one. `expected_current` is the id of the current
    figure the caller based its value on (null when there was none): if another figure became current
    meanwhile, nothing is written and the answer is 409 with that figure."""

    unit: NoNul = Field(max_length=32, description="Khóa đơn vị / unit key, e.g. c28084")
    criteria_set: NoNul = Field(max_length=64, description="e.g. commune-ntmnc-2021-2025")
    indicator: NoNul = Field(max_length=16, description="e.g. 10.1")
    year: int = Field(ge=2000, le=2100)
    # Read by ntm.figures.parsing.figure_value, the entry form's reader: same refusals, same messages.
    value: str | Decimal | None = Field(None, description="Số (chuỗi \"68.2\" hoặc số JSON), tối đa 4 chữ số "
                                        "thập phân / a number (string \"68.2\" or a JSON number), at most 4 "
                                        "decimal places")
    bound: Literal["", ">", ">=", "<", "<="] = Field(
        "", description="Khi nguồn chỉ ghi giới hạn, ví dụ \">\" với value 96 cho \"trên 96 %\"; đánh giá chỉ khi giới "
                        "hạn quyết định được / when the source gives only a bound, e.g. \">\" with value 96 for "
                        "\"above 96 %\"; judged only when the bound decides")
    verdict: bool | None = None
    judged_by: NoNul = Field("", max_length=120)
    source_note: NoNul = Field("", max_length=2000)
    expected_current: int | None = Field(description="Id của số liệu hiện hành đã xem, hoặc null / "
                                                     "id of the current figure the value replaces, or null")


class StaleOut(Schema):
    detail: str
    current: FigureOut | None


# --- Results --------------------------------------------------------------------------------------


class LayerOut(Schema):
    """A province's set or specification, or a demo overlay, composed over the national set."""

    id: str
    version: str
    name_vi: str
    name_en: str
    provinces: str
    demo: bool


def _applied(obj):
    """The set that applies to the row's unit in its year (`Catalog.resolve`), resolved once per row."""
    found = getattr(obj, "_applied_set", None)
    if found is None:
        from ntm.evaluation.selectors import applied_set

        found = obj._applied_set = applied_set(obj.unit, obj.criteria_set, obj.year)
    return found


def _basis(obj, lang: str) -> str:
    from ntm.catalog_source import get_catalog

    return get_catalog().describe(_applied(obj).cset, lang)


class AppliedBasis(Schema):
    """Which criteria a stored result rests on."""

    criteria_basis: str = Field(description="Văn bản áp dụng, vd. “Long An 8151/QĐ-UBND, trên nền 1345/QĐ-TTg” / "
                                            "the documents the verdicts rest on")
    criteria_basis_en: str
    layers: list[LayerOut] = Field(description="Các lớp của tỉnh (và lớp minh họa) chồng lên bộ quốc gia / "
                                               "province layers (and demo overlays) over the national set")

    @staticmethod
    def resolve_criteria_basis(obj) -> str:
        return _basis(obj, "vi")

    @staticmethod
    def resolve_criteria_basis_en(obj) -> str:
        return _basis(obj, "en")

    @staticmethod
    def resolve_layers(obj) -> list[dict]:
        return [{"id": layer.id, "version": layer.version, "name_vi": layer.name_vi, "name_en": layer.name_en,
                 "provinces": layer.provinces, "demo": layer.demo} for layer in _applied(obj).layers]


class UnitResultOut(OfUnit, AppliedBasis):
    criteria_set: str
    set_version: str
    level: str
    year: int
    met: int
    total: int
    reached: bool
    unmet: list
    evaluated_at: datetime
    demo: bool = Field(description="Có tiêu chí dựa trên ngưỡng minh họa (demo), không phải ngưỡng chính thức / "
                                   "some verdict rests on a threshold invented for the demo")
    stale: bool = Field(description="Được đánh giá theo phiên bản bộ tiêu chí cũ hơn phiên bản đang áp dụng / made "
                                    "with another version of the set than the one that applies now")
    applied_version: str

    @staticmethod
    def resolve_demo(obj) -> bool:
        return bool(getattr(obj, "rests_on_demo", False))

    @staticmethod
    def resolve_stale(obj) -> bool:
        return obj.set_version != _applied(obj).version

    @staticmethod
    def resolve_applied_version(obj) -> str:
        return _applied(obj).version


class CriterionResultOut(AppliedBasis):
    unit: str
    criteria_set: str
    year: int
    criterion: str
    status: str = Field(description="met | not_met | no_data | not_evaluable")
    provisional: bool
    demo: bool = Field(description="Dựa trên ngưỡng minh họa (demo); từng chỉ tiêu ghi \"demo\" / rests on a "
                                   "threshold invented for the demo; each indicator says \"demo\"")
    indicators: list

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key

    @staticmethod
    def resolve_demo(obj) -> bool:
        from ntm.evaluation.selectors import rests_on_demo

        return rests_on_demo(obj.indicators)


# --- Workflow (read-only) -------------------------------------------------------------------------


class AssignmentOut(OfUnit):
    id: int
    criteria_set: str
    year: int
    criterion: str
    indicator: str
    responsible: str
    department: str
    due: date | None
    note: str
    created_at: datetime

    @staticmethod
    def resolve_responsible(obj) -> str:
        return obj.responsible.get_username()


class DossierOut(Schema):
    id: int
    commune: str
    commune_name: str
    level: str
    year: int
    step: str
    satisfaction_rate: Decimal | None
    security_ok: bool | None
    decision_number: str
    decision_date: date | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune.key

    @staticmethod
    def resolve_commune_name(obj) -> str:
        return obj.commune.full_name
