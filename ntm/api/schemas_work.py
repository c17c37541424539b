"""What the API's workflow writes take and give back: assignments, inspections, findings, follow-ups.
Units travel as keys and people as usernames, as in the read-only lists."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from .schemas import DossierOut, NoNul


class AssignmentIn(Schema):
    commune: str = Field(description="Khóa xã / commune key")
    criteria_set: str
    criterion: str
    indicator: NoNul = ""
    year: int
    responsible: str = Field(description="Tên đăng nhập / username")
    department: str = ""
    due: date | None = None
    note: NoNul = ""


class InspectionIn(Schema):
    area: str = Field(description="Khóa huyện/tỉnh / district or province key")
    title: NoNul
    date: date
    team: NoNul = ""
    communes: list[str] = Field(description="Khóa các xã / commune keys")


class InspectionOut(Schema):
    id: int
    area: str
    title: str
    date: date
    team: str
    communes: list[str]
    created_at: datetime

    @staticmethod
    def resolve_area(obj) -> str:
        return obj.district.key

    @staticmethod
    def resolve_communes(obj) -> list[str]:
        return sorted(c.key for c in obj.communes.all())


class FindingIn(Schema):
    commune: str
    text: NoNul
    criteria_set: str = ""
    criterion: str = ""
    status_seen: str = ""


class FindingOut(Schema):
    id: int
    inspection: int = Field(alias="inspection_id")
    commune: str
    criteria_set: str
    criterion: str
    status_seen: str
    text: str

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune.key


class FollowUpIn(Schema):
    commune: str
    text: NoNul
    owner: str = Field(description="Tên đăng nhập / username")
    due: date | None = None


class DoneIn(Schema):
    note: NoNul = ""


class FollowUpOut(Schema):
    id: int
    inspection: int = Field(alias="inspection_id")
    commune: str
    text: str
    owner: str
    due: date | None
    done_at: datetime | None
    done_note: str

    @staticmethod
    def resolve_commune(obj) -> str:
        return obj.commune.key

    @staticmethod
    def resolve_owner(obj) -> str:
        return obj.owner.get_username()


# --- Dossiers -------------------------------------------------------------------------------------


class StepOptionOut(Schema):
    to: str
    label: str
    refusal: str = Field(description="Rỗng khi được phép / empty when allowed")


class DocumentRowOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class StepIn(Schema):
    to: str = Field(description="submitted | verified | appraised | recognised | revoked | returned")
    comment: NoNul = ""
    decision_number: NoNul = ""
    decision_date: date | None = None
    confirm_unmet: bool = Field(False, description="Vẫn trình khi còn tiêu chí chưa đạt / submit despite "
                                                   "unmet criteria")


class ConditionsIn(Schema):
    satisfaction_rate: Decimal | None = Field(None, description="0–100")
    security_ok: bool | None = None


class DossierDetailOut(DossierOut):
    unmet_criteria: list[str] | None = Field(description="None: chưa có kết quả đánh giá / no evaluation yet")
    completeness: int = Field(description="% tài liệu bắt buộc đã có / % of required documents present")
    steps: list[StepOptionOut]
    documents: list[DocumentRowOut]

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.order_by("uploaded_at", "pk"))
