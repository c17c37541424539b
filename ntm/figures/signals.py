"""What the figures app announces. Figures sit below evaluation and alerts: they do not call them,
they say what changed, and the apps above react (receivers connected in their `AppConfig.ready`).

`figures_changed` is sent inside the writing transaction, once per year written, after the rows are
in place, so that stored results are refreshed in the same transaction (no page ever evaluates while
it loads) and a receiver's failure rolls the write back. Arguments:

- `year`: the year of the figures;
- `unit_ids`: the units whose figures changed (communes, or districts with figures of their own);
- `set_ids`: the criteria sets those figures belong to;
- `units`: those units, when the sender has them in hand (one save: its commune, with its parents), so
  that receivers need not read them again; empty otherwise.
"""

from collections.abc import Sequence

from django.dispatch import Signal

figures_changed = Signal()


def announce(year: int, unit_ids: list[int], set_ids: set[str], units: Sequence = ()) -> None:
    """Tell the apps above that these units' figures of these sets changed in `year`."""
    figures_changed.send(sender="figures", year=year, unit_ids=unit_ids, set_ids=set_ids, units=units)
