"""The WSGI servers behind `ntm serve`: gunicorn on Linux, waitress elsewhere.

gunicorn (Linux, the default there): a master process forks `workers` processes that each answer with
`threads` threads (its `gthread` worker); the master replaces a worker that dies or hangs, and a pre-fork
server uses every core, which one Python process cannot (the GIL). waitress: one process with threads,
pure Python, any operating system — the fallback, and `--server waitress` on request.

Sizing (README "Production"): workers ≈ 2 × cores + 1 at most, fewer when memory is short (each worker is a
full copy of the app); threads 4–8 per worker, since most of a request's time is spent waiting on the
database, which releases the GIL."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

SERVERS = ("auto", "gunicorn", "waitress")


def choose_server(requested: str, workers: int) -> str:
    """The server to run, or a refusal that says why and what to do instead."""
    if workers < 1:
        raise CommandError(f"--workers {workers}: cần ít nhất 1 / at least 1")
    gunicorn_here = sys.platform.startswith("linux") and find_spec("gunicorn") is not None
    if requested == "auto":
        requested = "gunicorn" if gunicorn_here else "waitress"
    if requested == "gunicorn" and not gunicorn_here:
        raise CommandError("gunicorn chỉ chạy trên Linux và phải được cài (pip install gunicorn); dùng --server "
                           "waitress / gunicorn needs Linux and the gunicorn package; use --server waitress")
    if requested == "waitress" and workers > 1:
        raise CommandError(f"waitress chạy một tiến trình: --workers {workers} cần gunicorn (Linux); trên hệ khác "
                           f"hãy tăng --threads hoặc chạy nhiều `ntm serve` sau một reverse proxy / waitress runs one "
                           f"process: --workers {workers} needs gunicorn (Linux); elsewhere raise --threads or run "
                           f"several `ntm serve` behind a reverse proxy")
    return requested


def check_file_storage() -> None:
    """Refuse to start when the uploads' storage cannot even be built (a missing package, a wrong option),
    rather than fail on the first upload."""
    from django.core.files.storage import storages

    try:
        storages["default"]
    except Exception as exc:  # ImportError, TypeError from the options, the backend's own checks
        backend = settings.STORAGES["default"]["BACKEND"]
        hint = " (pip install 'ntm-tracker[s3]')" if backend.startswith("storages.") else ""
        raise CommandError(f"NTM_FILE_STORAGE={backend}: {type(exc).__name__}: {exc}{hint}") from exc


def serve_waitress(application: Callable, *, host: str, port: int, threads: int) -> None:
    import waitress

    waitress.serve(application, host=host, port=port, threads=threads)


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn's settings: our logs (JSON by default) for its messages too; Django alone decides what a
    secure request is (SECURE_PROXY_SSL_HEADER), so gunicorn does not trust forwarded headers itself."""
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return {
        "bind": [f"{bind_host}:{port}"],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",  # threads even when 1: a long request never stops the worker's heartbeat
        "timeout": 60,  # a worker whose main loop is stuck this long is replaced
        "graceful_timeout": 30,  # on stop or restart, requests under way get this long to finish
        "keepalive": 5,  # a reverse proxy keeps its connections to us open between requests
        # the workers' heartbeat files in memory: on a disk-backed /tmp (containers) a heartbeat can stall
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        "secure_scheme_headers": {},
        "control_socket_disable": True,  # gunicorn ≥ 25: one socket per user would clash between two servers
        "logconfig_dict": _logging_for_gunicorn(),
        "proc_name": "ntm",
    }


def _logging_for_gunicorn() -> dict:
    """The project's LOGGING, with gunicorn's own messages (worker started, replaced, timed out) through the
    same handler and format; its access log stays off: the request log middleware writes one line a request."""
    config: dict[str, Any] = dict(settings.LOGGING)
    config["loggers"] = {**config.get("loggers", {}),
                         "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                         "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False}}
    return config


def serve_gunicorn(application: Callable, *, host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn in this process, which becomes its master. The app is already loaded (Django set up,
    static files indexed) and is inherited by each forked worker; no database connection may cross the fork."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads)

    class Server(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                if name in self.cfg.settings:  # older gunicorn lacks some (control_socket_disable)
                    self.cfg.set(name, value)

        def load(self) -> Callable:
            return application

    connections.close_all()
    Server().run()


def run_beside(run: Callable[[], object], *, fork: bool) -> None:
    """Run `run` (work at start) while the server starts: in a child process before gunicorn, whose master
    would copy a thread of its own, half-way, into every worker it forks later; in a thread for waitress."""
    if fork:
        refresh_in_child(run)
        return

    def in_thread() -> None:
        try:
            run()
        except Exception:  # the server goes on; the log has the trace
            logging.getLogger("ntm.server").exception("re-evaluation at start failed")
        finally:
            connections.close_all()

    threading.Thread(target=in_thread, daemon=True).start()


def refresh_in_child(run: Callable[[], object]) -> int:
    """Run `run` in a forked child process and return its pid; the parent's connections are closed first (none
    may be shared across a fork)."""
    connections.close_all()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        run()
    except BaseException:  # a crash of the re-evaluation must not run the server a second time
        logging.getLogger("ntm.server").exception("re-evaluation at start failed")
        code = 1
    finally:
        connections.close_all()
        os._exit(code)
    return 0  # not reached
