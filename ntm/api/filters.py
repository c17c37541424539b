"""The API's filters, one FilterSchema per listed model. Unit keys given as filters (`unit`, `parent`)
are checked for access in the routers first; these only narrow an already scoped queryset."""


from typing import Annotated

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema

from ntm.core.engine import Status
from ntm.evaluation.actions import valid_in
from ntm.recognition.models import Level, Step
from ntm.units.models import Kind, Region
from ntm.units.text import fold

Key = Annotated[str, Field(max_length=32, pattern=r"^[^\x00]*$")]
Code = Annotated[str, Field(max_length=64, pattern=r"^[^\x00]*$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
PARENT_HELP = "Khóa đơn vị cấp trên / parent unit key"


class UnitFilter(FilterSchema):
    kind: Kind | None = None
    parent: Annotated[Key | None, FilterLookup("parent__key")] = Field(None, description=PARENT_HELP)
    region: Region | None = None
    year: Year | None = Field(None, description="Còn hiệu lực trong năm / valid in that year")
    q: Annotated[str, Field(max_length=120, pattern=r"^[^\x00]*$")] | None = Field(
        None, description="Tìm theo tên, có dấu hay không dấu, hoặc mã / name with or without diacritics, or code")

    def filter_year(self, value: int | None) -> Q:
        return valid_in(value) if value is not None else Q()

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        return Q(search_name__contains=fold(value)) | Q(code=value.strip()) | Q(key=value.strip())


class FigureFilter(FilterSchema):
    unit: Annotated[Key | None, FilterLookup("unit__key")] = Field(None)
    criteria_set: Code | None = None
    indicator: Code | None = None
    year: Year | None = None
    history: bool = Field(False, description="Kèm các giá trị đã bị thay thế / include superseded values")

    def filter_history(self, value: bool) -> Q:
        return Q() if value else Q(superseded_at__isnull=True)


class UnitResultFilter(FilterSchema):
    unit: Annotated[Key | None, FilterLookup("unit__key")] = Field(None)
    parent: Annotated[Key | None, FilterLookup("unit__parent__key")] = Field(None, description=PARENT_HELP)
    criteria_set: Code | None = None
    level: Code | None = None
    year: Year | None = None


class CriterionResultFilter(FilterSchema):
    unit: Annotated[Key | None, FilterLookup("unit__key")] = Field(None)
    parent: Annotated[Key | None, FilterLookup("unit__parent__key")] = Field(None, description=PARENT_HELP)
    criteria_set: Code | None = None
    year: Year | None = None
    criterion: Code | None = None
    status: Status | None = None


class AssignmentFilter(FilterSchema):
    unit: Annotated[Key | None, FilterLookup("unit__key")] = Field(None)
    parent: Annotated[Key | None, FilterLookup("unit__parent__key")] = Field(None, description=PARENT_HELP)
    criteria_set: Code | None = None
    year: Year | None = None
    criterion: Code | None = None
    responsible: Annotated[Code | None, FilterLookup("responsible__username")] = Field(
        None, description="Tên đăng nhập người phụ trách / username of the person responsible")


class DossierFilter(FilterSchema):
    commune: Annotated[Key | None, FilterLookup("commune__key")] = Field(None)
    parent: Annotated[Key | None, FilterLookup("commune__parent__key")] = Field(None, description=PARENT_HELP)
    level: Level | None = None
    year: Year | None = None
    step: Step | None = None
