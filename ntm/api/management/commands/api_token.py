"""`ntm api_token create <username> [--name …]` prints a new token once; `ntm api_token revoke …`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ntm.api.actions import create_token, revoke_tokens
from ntm.api.models import ApiToken


class Command(BaseCommand):
    help = "Tạo hoặc thu hồi khóa API / Create or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo khóa mới và in ra một lần / create a token, printed once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="Tên gợi nhớ / a label, e.g. the calling system")
        create.add_argument("--days", type=int, default=None,
                            help="Số ngày hiệu lực, 0 = không hết hạn / days valid, 0 = never expires "
                                 "(default NTM_API_TOKEN_DAYS)")
        revoke = sub.add_parser("revoke", help="Thu hồi khóa / revoke tokens")
        revoke.add_argument("username")
        revoke.add_argument("--name", default=None, help="Chỉ thu hồi khóa có tên này / only tokens with this name")
        revoke.add_argument("--prefix", default=None, help="Chỉ thu hồi khóa bắt đầu bằng… / only this token")

    def handle(self, *args, action: str, username: str, name: str | None = None, prefix: str | None = None,
               days: int | None = None, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Không có người dùng “{username}” / no such user") from None
        if action == "create":
            if days is not None and days < 0:
                raise CommandError("--days: số ngày không âm / a number of days ≥ 0")
            _row, token = create_token(user, name=name or "", days=days)
            self.stdout.write(token)
            self.stderr.write("Lưu khóa này ngay: nó không được hiển thị lại. / Keep this token now: "
                              "it is not shown again.")
            return
        tokens = ApiToken.objects.filter(user=user)
        if name is not None:
            tokens = tokens.filter(name=name)
        if prefix is not None:
            tokens = tokens.filter(prefix=prefix[:12])
        count = revoke_tokens(tokens)
        self.stdout.write(f"Đã thu hồi {count} khóa / revoked {count} token(s).")
