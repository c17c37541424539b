"""`ntm notify [--today YYYY-MM-DD] [--dry-run]`: each user's daily digest of work due within 7 days,
overdue work and alerts not yet mailed, in the user's language."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ntm.alerts.actions import send_digests


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--today {raw!r}: cần ngày dạng YYYY-MM-DD (expected YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Gửi bản tin hằng ngày (việc sắp đến hạn, quá hạn, tiêu chí tụt hạng) / send the daily digests"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, default=None, help="the day of the digest (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="show the digests; send and record nothing")

    def handle(self, *args, today: date | None = None, dry_run: bool = False, **options):
        day = today or timezone.localdate()
        digests = send_digests(day, dry_run=dry_run)
        for d in digests:
            self.stdout.write(f"{d.username} <{d.email}> [{d.language}] {d.subject}")
            if dry_run:
                self.stdout.write(d.body + "\n")
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{len(digests)} digest(s) {verb} for {day.isoformat()}")
