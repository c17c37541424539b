from base64 import b32encode

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ntm.accounts.demo_users import DEMO_PASSWORD, DEMO_TOTP_KEY, give_demo_totp
from ntm.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Tân Trụ (Long An) rồi chạy ứng dụng web / Load the Tân Trụ demo and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--load-only", action="store_true", help="chỉ nạp, không chạy máy chủ / load only")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, load_only: bool, host: str, port: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
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
