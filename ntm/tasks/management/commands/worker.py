"""`ntm worker [--batch] [--interval S]`: run the background work waiting in the database (re-evaluations,
province reports, imports, the daily digest), and start the daily work when its time comes. Any number of
workers on any hosts may share one database: each task is claimed by one of them (django-tasks-db's worker,
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite)."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from ntm.tasks.queue import recover_abandoned
from ntm.tasks.schedule import Schedule


class Command(BaseCommand):
    help = ("Chạy các việc nền đang chờ (đánh giá lại, báo cáo toàn tỉnh, nhập Excel, bản tin hằng ngày) / "
            "run the waiting background work")

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="chạy hết việc đang chờ rồi thoát / run what is waiting, then exit")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="giây chờ khi hàng đợi trống / seconds between looks at an empty queue")
        parser.add_argument("--no-schedule", action="store_true",
                            help="không tự khởi động việc hằng ngày (bản tin) / do not start the daily work")

    def handle(self, *args, batch: bool, interval: float, no_schedule: bool, **options):
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError("NTM_TASKS=immediate: việc nền chạy ngay trong tiến trình yêu cầu, không cần worker "
                               "(immediate: work runs in the process that asks for it; no worker needed)")
        if interval <= 0:
            raise CommandError(f"--interval {interval}: cần số giây > 0 (expected seconds > 0)")
        self.stopping = False
        self.worker: Worker | None = None
        host = socket.gethostname()
        worker_id = f"{host}:{os.getpid()}"[:64]
        if recovered := recover_abandoned(host):
            self.stdout.write(f"{recovered} việc bị bỏ dở được chạy lại / abandoned task(s) queued again")
        schedule = None if no_schedule else Schedule()
        restore = self._catch_signals()
        if not batch:
            self.stdout.write(f"ntm worker {worker_id}: đang chờ việc / waiting for work (Ctrl+C để dừng / to stop)")
        try:
            while not self.stopping:
                if schedule:
                    for path in schedule.run_due(timezone.localtime()):
                        self.stdout.write(f"started daily {path}")
                self.worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                                     startup_delay=False, max_tasks=None, worker_id=worker_id,
                                     excluded_queue_names=[])
                self.worker.run()  # every task ready now, one after the other, then back here
                if batch:
                    break
                self._sleep(interval)
        finally:
            restore()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))

    def _catch_signals(self):
        """SIGTERM/SIGINT: finish the task under way, then stop (a second signal stops at once). Only in the
        main thread (a test calling the command elsewhere keeps its own handlers)."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def stop(signum, frame):
            if self.stopping:
                raise SystemExit(1)
            self.stopping = True
            if self.worker is not None:
                self.worker.running = False  # django-tasks-db's loop ends after the current task
            self.stderr.write(f"{signal.strsignal(signum)}: dừng sau việc đang chạy / stopping after the current task")

        for sig in previous:
            signal.signal(sig, stop)

        def restore():
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        return restore
