"""What the units app announces; the apps above it react, connected in their `AppConfig.ready` (units
imports none of them).

`classified` is sent by `actions.classify_many` inside its transaction, once its bulk writes are done
(bulk writes send no model signal), with:

- `created`: the Classification rows created (primary keys set);
- `changes`: [(model, {primary key: {field: (before, after)}})] for the rows updated in bulk;
- `unit_ids`: the units whose attribute changed; `reason`: one line saying what and by which decision;
- `by`: the user, or None.

The audit trail records the rows; the evaluation app returns the background job that re-evaluates the
units' stored results (`ClassifyReport.job`)."""

from django.dispatch import Signal

classified = Signal()
