"""`ntm serve` starts one `ntm worker` beside itself, so that a single-machine installation (and the demo) runs
its background work with no second command; a production installation runs workers as their own service
(`ntm serve --no-worker`, deploy/). The child stops with the server: on exit, and on Linux even when the
server is killed."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_worker() -> subprocess.Popen:
    """Start `ntm worker` as a child process with this process's environment; stopped when this one exits."""
    child = subprocess.Popen([sys.executable, "-m", "ntm.cli", "worker"], env=os.environ.copy(),
                             preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)  # noqa: PLW1509

    parent = os.getpid()

    def stop() -> None:
        if os.getpid() == parent and child.poll() is None:  # not in a process forked later (gunicorn's workers)
            child.terminate()
            try:
                child.wait(timeout=30)  # the task under way finishes first
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)
    return child
