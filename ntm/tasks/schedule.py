"""Work started once a day by `ntm worker` itself (NTM_DAILY_TASKS: the daily digest), so that an office needs
no cron. Each entry is a function(day) that queues that day's work idempotently (a `Job` keyed by the day), so
several workers on several hosts, or a restarted one, start it once."""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("ntm.tasks")


def _at(raw: str) -> time | None:
    return None if raw == "off" else time.fromisoformat(raw)


class Schedule:
    """Remembers which daily entries this process has already started today: one query per entry and day."""

    def __init__(self, entries: dict[str, str] | None = None):
        self.entries = {path: _at(raw) for path, raw in (entries if entries is not None
                                                         else settings.NTM_DAILY_TASKS).items()}
        self.started: dict[str, date] = {}

    def due(self, now: datetime) -> list[str]:
        """Entries whose time of day has come and that this process has not started on `now`'s day."""
        return [path for path, at in self.entries.items()
                if at is not None and now.time() >= at and self.started.get(path) != now.date()]

    def run_due(self, now: datetime) -> list[str]:
        """Start what is due (`now` is local time); a failure to start is logged and tried on the next call."""
        started = []
        for path in self.due(now):
            try:
                import_string(path)(now.date())
            except Exception:
                log.exception("daily task %s could not be started for %s", path, now.date())
                continue
            self.started[path] = now.date()
            started.append(path)
        return started
