"""One demo user per role for the Tân Trụ demo, so that a newcomer can try each view; a province office and
two commune officials of the new Tây Ninh (since 1/7/2025) for the 2026 demo."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from ntm.units.models import Unit

from .models import Membership, Role

DEMO_PASSWORD = "tantru2024"
# The demo's authenticator key for the users who must log in in two steps (README; `ntm demo_code` prints
# the current codes). Base32, as authenticator apps take it: NZ2G 2LLE MVWW 6LLU N52H ALLT MVRX EZLU.
DEMO_TOTP_KEY = b"ntm-demo-totp-secret".hex()
DEMO_TOTP_NAME = "demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit_key: str | None
    department: str = ""
    title: str = ""


DEMO_USERS = (
    DemoUser("canbo.quemythanh", "Nguyễn Văn An", Role.COMMUNE_OFFICIAL, "c28084",
             title="Công chức Địa chính - Xây dựng"),
    DemoUser("canbo.binhtrinhdong", "Trần Thị Bình", Role.COMMUNE_OFFICIAL, "c28090",
             title="Công chức Văn phòng - Thống kê"),
    DemoUser("lanhdao.quemythanh", "Lê Văn Cường", Role.COMMUNE_LEADER, "c28084", title="Chủ tịch UBND xã"),
    DemoUser("vpdp.tantru", "Phạm Thị Dung", Role.DISTRICT_OFFICE, "d805", title="Văn phòng Điều phối NTM huyện"),
    DemoUser("phong.yte", "Võ Văn Em", Role.DEPARTMENT, "d805", department="health", title="Phòng Y tế huyện"),
    DemoUser("phong.nongnghiep", "Đặng Thị Giang", Role.DEPARTMENT, "d805", department="agriculture",
             title="Phòng Nông nghiệp và PTNT huyện"),
    DemoUser("lanhdao.tantru", "Huỳnh Văn Hải", Role.LEADER, "d805", title="Bí thư Huyện ủy"),
    DemoUser("vpdp.longan", "Ngô Thị Lan", Role.PROVINCE_OFFICE, "p80", title="Văn phòng Điều phối NTM tỉnh"),
    # The new Tây Ninh (Long An + Tây Ninh since 1/7/2025) and two of its new communes, for the 2026 demo.
    DemoUser("vpdp.tayninh", "Lý Thị Mai", Role.PROVINCE_OFFICE, "p80-2025",
             title="Văn phòng Điều phối NTM tỉnh Tây Ninh"),
    DemoUser("canbo.nhuttao", "Trương Văn Nam", Role.COMMUNE_OFFICIAL, "c28087-2025",
             title="Công chức Kinh tế xã Nhựt Tảo"),
    DemoUser("canbo.tantru", "Mai Thị Oanh", Role.COMMUNE_OFFICIAL, "c28075-2025",
             title="Công chức Kinh tế xã Tân Trụ"),
    DemoUser("quantri", "Quản trị hệ thống", Role.ADMIN, None, title="Quản trị"),
)


def create_demo_users() -> int:
    """Create (or reset) the demo users and their roles; idempotent."""
    users = get_user_model()
    units = {u.key: u for u in Unit.objects.filter(key__in=[d.unit_key for d in DEMO_USERS if d.unit_key])}
    for demo in DEMO_USERS:
        last, _, first = demo.full_name.rpartition(" ")
        user, _ = users.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = first, last
        user.email = f"{demo.username}@demo.invalid"  # so that `ntm notify` has somewhere to send
        user.is_staff = user.is_superuser = demo.role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.filter(user=user).delete()
        Membership.objects.create(user=user, role=demo.role, unit=units.get(demo.unit_key or ""),
                                  department=demo.department, title=demo.title)
    return len(DEMO_USERS)


def give_demo_totp() -> list[str]:
    """`ntm demo` only (tests log in without a second factor): the demo users whose role requires two-factor
    log-in get a confirmed authenticator with the published demo key. Returns their user names."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .two_factor import REQUIRED_ROLES

    names = [d.username for d in DEMO_USERS if d.role in REQUIRED_ROLES]
    for user in get_user_model().objects.filter(username__in=names):
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name=DEMO_TOTP_NAME, key=DEMO_TOTP_KEY, confirmed=True)
    return names
