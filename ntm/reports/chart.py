"""Bar charts of criteria met, for reports: a plain SVG written here for the PDF (a few dozen shapes that
WeasyPrint draws at once), a PNG from matplotlib for the DOCX (Word takes no SVG)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot  # noqa: E402


def met_svg(labels: Sequence[str], met: Sequence[int], total: int, *, title: str) -> bytes:
    """Criteria met per bar, out of `total` (a dashed line), as SVG text with the report's font."""
    width, height, left, right, top, bottom = 630, 280, 40, 10, 30, 70 if len(labels) > 4 else 30
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = plot_h / (total + 1) if total >= 0 else 0
    step = plot_w / max(1, len(labels))
    bar = step * 0.7
    y_of = lambda value: top + plot_h - value * scale  # noqa: E731 — a local formula
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Liberation Serif, serif" font-size="11">',
             f'<text x="{width / 2:.0f}" y="16" text-anchor="middle" font-size="13">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#000"/>',
             f'<line x1="{left}" y1="{y_of(total):.1f}" x2="{width - right}" y2="{y_of(total):.1f}" '
             f'stroke="#9a3412" stroke-dasharray="5 3"/>',
             f'<text x="{left - 4}" y="{y_of(total) + 4:.1f}" text-anchor="end">{total}</text>',
             f'<text x="{left - 4}" y="{top + plot_h + 4}" text-anchor="end">0</text>']
    for i, (label, value) in enumerate(zip(labels, met, strict=True)):
        x = left + i * step + (step - bar) / 2
        centre = x + bar / 2
        parts.append(f'<rect x="{x:.1f}" y="{y_of(value):.1f}" width="{bar:.1f}" height="{value * scale:.1f}" '
                     f'fill="#1f6f43"/>')
        parts.append(f'<text x="{centre:.1f}" y="{y_of(value) - 3:.1f}" text-anchor="middle" font-size="9">'
                     f'{value}/{total}</text>')
        base = top + plot_h + 12
        if len(labels) > 4:
            parts.append(f'<text x="{centre:.1f}" y="{base}" text-anchor="end" '
                         f'transform="rotate(-30 {centre:.1f} {base})">{escape(label)}</text>')
        else:
            parts.append(f'<text x="{centre:.1f}" y="{base}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts).encode()


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
