"""The workflow part of the Tân Trụ demo: Resolution 55-NQ/HU as a plan, who answers for which criteria,
and the district office's March 2024 inspection of the 4 pilot communes (Báo Long An, 08/05/2024).
Names of people and the findings are illustrative. Each function replaces its own demo rows, so it can
run again; the demo loader calls them after the demo users exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ntm.units.models import Kind, Unit

from . import actions
from .models import Assignment, Inspection, Plan

DISTRICT_KEY = "d805"
NTMNC_2024 = "commune-ntmnc-2021-2025"
PILOTS = ("Quê Mỹ Thạnh", "Bình Lãng", "Bình Trinh Đông", "Bình Tịnh")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())


def _district() -> Unit:
    return Unit.objects.get(key=DISTRICT_KEY)


def _communes(district: Unit) -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(parent=district, kind=Kind.COMMUNE, name__in=PILOTS)}


def _user(username: str):
    return get_user_model().objects.get(username=username)


@transaction.atomic
def create_demo_plans() -> int:
    district = _district()
    Plan.objects.filter(unit=district, is_demo=True).delete()
    actions.create_plan(unit=district, title="Xây dựng huyện Tân Trụ đạt chuẩn NTMNC năm 2024", year=2024,
                        level="ntmnc", communes_target=4, district_targets=True, resolution_number="55-NQ/HU",
                        resolution_date=date(2023, 12, 6), is_demo=True)
    return 1


@dataclass(frozen=True)
class _DemoAssignment:
    commune: str
    criterion: str
    username: str
    department: str
    note: str
    indicator: str = ""
    due: date = date(2024, 6, 30)  # "hoàn thành hồ sơ xã NTMNC trong tháng 6/2024"


DEMO_ASSIGNMENTS = (
    _DemoAssignment("Quê Mỹ Thạnh", "1", "canbo.quemythanh", "economy_infrastructure",
                    "Hoàn chỉnh quy hoạch chung xã và quy chế quản lý quy hoạch (chỉ tiêu 1.3)."),
    _DemoAssignment("Quê Mỹ Thạnh", "10", "canbo.quemythanh", "statistics",
                    "Rà soát thu nhập bình quân đầu người; phối hợp Chi cục Thống kê."),
    _DemoAssignment("Quê Mỹ Thạnh", "13", "lanhdao.quemythanh", "agriculture",
                    "Củng cố hợp tác xã, xây dựng chuỗi liên kết sản xuất."),
    _DemoAssignment("Quê Mỹ Thạnh", "14", "canbo.quemythanh", "social_insurance",
                    "Vận động người dân tham gia bảo hiểm y tế.", indicator="14.1"),
    _DemoAssignment("Bình Trinh Đông", "17", "canbo.binhtrinhdong", "environment",
                    "Khắc phục tồn tại về môi trường theo kết luận kiểm tra tháng 3/2024."),
)


@transaction.atomic
def create_demo_assignments() -> int:
    district = _district()
    communes = _communes(district)
    office = _user("vpdp.tantru")
    Assignment.objects.filter(unit__parent=district, is_demo=True).delete()
    for a in DEMO_ASSIGNMENTS:
        actions.assign(actions.AssignmentInput(
            unit=communes[a.commune], criteria_set=NTMNC_2024, year=2024, criterion=a.criterion,
            indicator=a.indicator, responsible=_user(a.username), department=a.department, due=a.due, note=a.note),
            by=office, now=_at(date(2024, 3, 25)), is_demo=True)
    return len(DEMO_ASSIGNMENTS)


@dataclass(frozen=True)
class _DemoFollowUp:
    commune: str
    criterion: str
    finding: str
    text: str
    owner: str
    due: date
    done_on: date | None = None
    done_note: str = ""


# As of 08/05/2024 (the article): two done, two overdue, one still within its time.
DEMO_FOLLOW_UPS = (
    _DemoFollowUp("Quê Mỹ Thạnh", "1", "Hồ sơ quy hoạch chung xã chưa hoàn chỉnh (chỉ tiêu 1.3).",
                  "Hoàn chỉnh hồ sơ quy hoạch, trình phê duyệt điều chỉnh.", "canbo.quemythanh", date(2024, 4, 30)),
    _DemoFollowUp("Quê Mỹ Thạnh", "10", "Thu nhập bình quân đầu người chưa đạt mức NTMNC.",
                  "Xây dựng phương án nâng thu nhập, cập nhật số liệu với Chi cục Thống kê.", "canbo.quemythanh",
                  date(2024, 6, 30)),
    _DemoFollowUp("Bình Trinh Đông", "17", "Còn điểm tập kết rác tự phát trên tuyến đường liên ấp.",
                  "Xóa điểm tập kết rác tự phát, tổ chức thu gom định kỳ.", "canbo.binhtrinhdong",
                  date(2024, 4, 15), date(2024, 4, 12), "Đã xóa 3 điểm, ký hợp đồng thu gom hằng tuần."),
    _DemoFollowUp("Bình Lãng", "13", "Hợp tác xã hoạt động chưa hiệu quả, chưa có chuỗi liên kết.",
                  "Hướng dẫn xã củng cố hợp tác xã, xây dựng chuỗi liên kết.", "phong.nongnghiep", date(2024, 4, 30)),
    _DemoFollowUp("Bình Tịnh", "14", "Tỷ lệ người dân tham gia bảo hiểm y tế chưa đạt 95 %.",
                  "Phối hợp vận động mua BHYT hộ gia đình.", "phong.yte", date(2024, 4, 30), date(2024, 4, 26),
                  "Tỷ lệ tham gia BHYT đạt 95,3 %."),
)


@transaction.atomic
def create_demo_inspections() -> int:
    district = _district()
    communes = _communes(district)
    office = _user("vpdp.tantru")
    Inspection.objects.filter(district=district, is_demo=True).delete()
    inspection = actions.create_inspection(
        district=district, title="Kiểm tra tiến độ thực hiện tiêu chí xã NTMNC tháng 3/2024", date=date(2024, 3, 20),
        team="Văn phòng Điều phối NTM huyện và các phòng, ngành huyện", communes=[communes[n] for n in PILOTS],
        by=office, now=_at(date(2024, 3, 20)), is_demo=True)
    for f in DEMO_FOLLOW_UPS:
        commune = communes[f.commune]
        finding = actions.add_finding(inspection=inspection, commune=commune, text=f.finding, criteria_set=NTMNC_2024,
                                      criterion=f.criterion, status_seen="not_met", is_demo=True)
        follow_up = actions.add_follow_up(inspection=inspection, commune=commune, text=f.text, owner=_user(f.owner),
                                          due=f.due, finding=finding, is_demo=True)
        if f.done_on:
            actions.mark_done(follow_up, by=_user(f.owner), now=_at(f.done_on, 16), note=f.done_note)
    return 1


def create_demo_workflow() -> None:
    """All of the above, in order; for the demo loader."""
    create_demo_plans()
    create_demo_assignments()
    create_demo_inspections()
