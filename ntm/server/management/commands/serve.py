"""`ntm serve`: the production-grade WSGI server (waitress), with static files served by WhiteNoise."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy ứng dụng web / Serve the web application."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        import waitress

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from ntm.evaluation.jobs import refresh_stale
        from ntm.wsgi import application  # after collectstatic: WhiteNoise indexes the files it finds at start

        if job := refresh_stale("Bộ tiêu chí đã đổi từ lần chạy trước / the catalog changed since the last start"):
            self.stdout.write(f"Đang đánh giá lại / re-evaluating in the background: {', '.join(job.set_ids)}")

        self.stdout.write(f"NTM Tracker: http://{host}:{port}/  (Ctrl+C để dừng / to stop)")
        waitress.serve(application, host=host, port=port, threads=threads)
