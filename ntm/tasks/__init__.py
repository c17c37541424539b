"""Background work on Django's tasks framework: the record users follow (`Job`), enqueueing with bounded retries,
the daily schedule and `ntm worker`. The work itself lives with its app (reports, alerts, evaluation, exchange)."""
