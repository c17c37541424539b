"""What the evaluation app announces once stored results were refreshed after figures changed (see
ntm/evaluation/reactions.py). The alerts app reacts to it; evaluation does not know about alerts.

`results_refreshed` is sent inside the writing transaction with:

- `year`: the year refreshed;
- `unit_ids`: the units whose figures changed;
- `before`, `after`: their stored criterion statuses before and after the refresh, as
  {(unit id, set id): {criterion code: Status}}, for the sets refreshed;
- `units`: those units when the figures' sender had them (one save: its commune), else empty.
"""

from django.dispatch import Signal

results_refreshed = Signal()

# Sent (no arguments) inside the transaction of `actions.refresh_results` whenever it wrote stored results,
# whatever asked for it; the portal starts a new generation of its cached pages.
results_written = Signal()
