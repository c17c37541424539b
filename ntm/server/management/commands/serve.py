"""`ntm serve`: the web application behind a production WSGI server — gunicorn with `--workers` processes on
Linux, waitress (one process) elsewhere — with static files served by WhiteNoise (ntm/server/serving.py)."""

from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ntm.server import serving

STALE = "Bộ tiêu chí đã đổi từ lần chạy trước / the catalog changed since the last start"


class Command(BaseCommand):
    help = "Chạy ứng dụng web / Serve the web application."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1,
                            help="số tiến trình (gunicorn) / processes (gunicorn); ≈ 2 × cores + 1 at most")
        parser.add_argument("--threads", type=int, default=8, help="luồng mỗi tiến trình / threads per process")
        parser.add_argument("--worker", action=BooleanOptionalAction, default=None,
                            help="chạy kèm một `ntm worker` cho việc nền (mặc định khi NTM_TASKS=database) / "
                                 "start one `ntm worker` beside the server (default with NTM_TASKS=database)")
        parser.add_argument("--server", choices=serving.SERVERS, default="auto",
                            help="auto: gunicorn trên Linux, waitress nơi khác / gunicorn on Linux, else waitress")

    def handle(self, *args, host: str, port: int, workers: int, threads: int, server: str,
               worker: bool | None = None, **options):
        server = serving.choose_server(server, workers)
        if threads < 1:
            raise serving.CommandError(f"--threads {threads}: cần ít nhất 1 / at least 1")
        serving.check_file_storage()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from ntm.evaluation.jobs import refresh_stale, stale_sets
        from ntm.wsgi import application  # after collectstatic: WhiteNoise indexes the files it finds at start

        if stale := stale_sets():
            self.stdout.write(f"Đang đánh giá lại / re-evaluating in the background: {', '.join(stale)}")
            if settings.NTM_TASKS == "database":
                refresh_stale(STALE)  # queued: the worker started below (or a worker elsewhere) runs it
            else:  # NTM_TASKS=immediate runs it where it is asked: beside the server, which starts at once
                serving.run_beside(lambda: _refresh_inline(refresh_stale), fork=server == "gunicorn")

        if worker if worker is not None else settings.NTM_TASKS == "database":
            from ntm.tasks.embedded import start_worker

            start_worker()  # background work (README "Background work"); stops with the server
        self.stdout.write(f"NTM Tracker: http://{host}:{port}/  ({server}, {workers} × {threads}; "
                          f"Ctrl+C để dừng / to stop)")
        self.stdout.flush()
        if server == "gunicorn":
            serving.serve_gunicorn(application, host=host, port=port, workers=workers, threads=threads)
        else:
            serving.serve_waitress(application, host=host, port=port, threads=threads)


def _refresh_inline(refresh_stale) -> None:
    settings.NTM_JOBS_INLINE = True  # in the child process only: the job runs here, not in a thread
    refresh_stale(STALE)
