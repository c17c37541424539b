"""What the API's workflow writes take and give back: assignments, inspections, findings, follow-ups.
Units travel as keys and people as usernames, as in the read-only lists."""

from datetime import date, datetime

from ninja import Field, Schema

from .schemas import NoNul


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
