from django.core.management import call_command
from django.core.management.base import BaseCommand

from ntm.accounts.demo_users import DEMO_PASSWORD
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
        if not load_only:
            call_command("serve", host=host, port=port)
