"""Bar charts of criteria met, for reports: SVG for the PDF, PNG for the DOCX (matplotlib, no display)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot  # noqa: E402


def met_chart(labels: Sequence[str], met: Sequence[int], total: int, *, title: str, fmt: str = "svg") -> bytes:
    """Criteria met per bar (a commune per year, or the communes of a district), out of `total`."""
    figure, axes = pyplot.subplots(figsize=(6.3, 2.8), dpi=150)
    try:
        bars = axes.bar(labels, met, color="#1f6f43")
        axes.axhline(total, color="#9a3412", linewidth=1, linestyle="--")
        axes.set_ylim(0, total + 1)
        axes.set_ylabel("Số tiêu chí đạt")
        axes.set_title(title, fontsize=10)
        axes.bar_label(bars, labels=[f"{m}/{total}" for m in met], fontsize=8)
        axes.tick_params(axis="x", labelsize=8, labelrotation=30 if len(labels) > 4 else 0)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format=fmt)
        return out.getvalue()
    finally:
        pyplot.close(figure)
