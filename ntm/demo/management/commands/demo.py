from base64 import b32encode

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ntm.accounts.demo_users import DEMO_PASSWORD, DEMO_TOTP_KEY, give_demo_totp
from ntm.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Tân Trụ (Long An) rồi chạy ứng dụng web / Load the Tân Trụ demo and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--load-only", action="store_true", help="chỉ nạp, không chạy máy chủ / load only")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--national", action="store_true",
                            help="dữ liệu tổng hợp toàn quốc (minh họa), hai thời kỳ, 2023–2026, thay cho Tân Trụ / "
                                 "the whole country's synthetic data (both eras, 2023–2026) instead of Tân Trụ")
        parser.add_argument("--provinces", type=int, default=None, metavar="N",
                            help="với --national: chỉ N tỉnh (trước 2025) ít xã nhất / with --national: only the N "
                                 "pre-2025 provinces with the fewest communes")

    def handle(self, *args, load_only: bool, host: str, port: int, national: bool = False,
               provinces: int | None = None, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if provinces is not None and not national:
            raise CommandError("--provinces chỉ dùng với --national / --provinces goes with --national")
        if national:
            self._national(provinces)
            if not load_only:
                call_command("serve", host=host, port=port)
            return
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(
            f"Đã nạp dữ liệu mẫu Tân Trụ: {report.targets} mục tiêu, {report.figures} số liệu, "
            f"{report.users} người dùng mẫu (mật khẩu: {DEMO_PASSWORD}, xem README)."))
        two_step = give_demo_totp()
        self.stdout.write(f"Đăng nhập hai bước / two-step log-in: {', '.join(two_step)} — khóa / key "
                          f"{b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()}; mã hiện tại / current code: "
                          f"ntm demo_code")
        if not load_only:
            call_command("serve", host=host, port=port)

    def _national(self, provinces: int | None) -> None:
        from ntm.demo.national import NationalDataError, build_national

        try:
            report = build_national(provinces=provinces, progress=lambda text: self.stdout.write(f"  {text}"))
        except NationalDataError as exc:
            raise CommandError(str(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            "Đã nạp dữ liệu tổng hợp toàn quốc (minh họa). Chưa có người dùng: tạo bằng `ntm createsuperuser` / "
            "National synthetic data loaded; no user is created: add one with `ntm createsuperuser`."))
