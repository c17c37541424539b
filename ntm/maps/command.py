"""The `boundaries` subcommand of `ntm units`: its arguments and what it prints (registered with the units
command in `MapsConfig.ready`, so that the map's code stays in this app)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from . import geometry
from .importer import BoundaryImportError, import_boundaries

KIND_NAMES = {"province": ("tỉnh/thành phố", "provinces"), "district": ("huyện", "districts"),
              "commune": ("xã", "communes"), "ward": ("phường", "wards")}


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "boundaries",
        help="nhập ranh giới đơn vị (GeoJSON hoặc TopoJSON, theo mã hành chính) cho bản đồ / import unit "
             "boundaries for the maps",
        description="Kiểm tra từng đối tượng, đơn giản hóa cho web và lưu tất cả hoặc không lưu gì.")
    parser.add_argument("file", type=Path, help="tệp .geojson/.json (GeoJSON) hoặc .topojson (TopoJSON), WGS 84")
    parser.add_argument("--property", default="code", dest="prop", metavar="TÊN",
                        help="thuộc tính chứa mã hành chính (mặc định: code; nếu thiếu thì dùng id của đối tượng)")
    parser.add_argument("--level", choices=["province", "district", "commune"],
                        help="cấp của các mã khi một mã trùng giữa các cấp")
    parser.add_argument("--on", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="các mã là của đơn vị có hiệu lực vào ngày này (mặc định hôm nay: đơn vị sau "
                             "1/7/2025; dùng 2025-06-30 cho đơn vị trước sắp xếp)")
    parser.add_argument("--attribution", default="", help="ghi công nguồn dữ liệu, hiện dưới bản đồ")
    parser.add_argument("--tolerance", type=float, default=geometry.DEFAULT_TOLERANCE,
                        help="dung sai đơn giản hóa, độ (mặc định %(default)s ≈ 50 m)")
    parser.add_argument("--user", default="", help="tên đăng nhập của người nhập (ghi lại)")
    parser.add_argument("--lang", default="vi", choices=["vi", "en"])


def run(options: dict, stdout) -> None:
    path: Path = options["file"]
    with translation.override(options.get("lang") or "vi"):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": exc.strerror}) \
                from exc
        if options["tolerance"] < 0:
            raise CommandError(_("--tolerance phải từ 0 trở lên (độ), ví dụ 0.0005."))
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("Không có người dùng “%(name)s”.") % {"name": options["user"]})
        try:
            report = import_boundaries(raw, source=path.name, prop=options["prop"], level=options.get("level"),
                                       on=options.get("on"), attribution=options.get("attribution") or "",
                                       tolerance=options["tolerance"], user=user)
        except BoundaryImportError as exc:
            lines = [_("%(path)s: không nhập gì, %(n)s lỗi:") % {"path": path.name, "n": len(exc.problems)},
                     *(f"  {p}" for p in exc.problems)]
            raise CommandError("\n".join(lines)) from exc
        english = translation.get_language() == "en"
        kinds = ", ".join(f"{n} {KIND_NAMES[k][1 if english else 0]}" for k, n in sorted(report.by_kind.items()))
        stdout.write(_("Đã nhập ranh giới của %(n)s đơn vị (%(kinds)s); %(replaced)s ranh giới cũ được thay.") % {
            "n": report.stored, "kinds": kinds, "replaced": report.replaced})
        stdout.write(_("Đơn giản hóa cho web: %(before)s → %(after)s điểm.") % {
            "before": report.points, "after": report.simplified_points})

