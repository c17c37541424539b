"""Reports as PDF: a Django template laid out after Decree 30/2020, rendered by WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from .chart import met_chart
from .data import CommuneReport, DistrictReport


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def commune_pdf(report: CommuneReport) -> bytes:
    from weasyprint import HTML

    chart = met_chart([str(y) for y, _, _ in report.history], [m for _, m, _ in report.history], report.total,
                      title=f"Số tiêu chí đạt qua các năm — {report.unit_name}") if report.history else b""
    html = render_to_string("reports/commune.html", {"r": report, "chart": _svg_data_uri(chart) if chart else ""})
    return HTML(string=html).write_pdf()


def district_pdf(report: DistrictReport) -> bytes:
    from weasyprint import HTML

    chart = met_chart([r.name for r in report.rows], [r.met for r in report.rows], len(report.criteria),
                      title=f"Số tiêu chí đạt của các xã — {report.unit_name}, năm {report.year}")
    html = render_to_string("reports/district.html", {"r": report, "chart": _svg_data_uri(chart)})
    return HTML(string=html).write_pdf()
