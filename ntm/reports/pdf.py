"""Reports as PDF: a Django template laid out after Decree 30/2020, rendered by WeasyPrint."""

from __future__ import annotations

import base64
import ssl

from django.template.loader import render_to_string

from .chart import met_chart, met_svg
from .data import CommuneReport, DistrictReport


def _svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def commune_pdf(report: CommuneReport) -> bytes:
    chart = met_chart([str(y) for y, _, _ in report.history], [m for _, m, _ in report.history], report.total,
                      title=f"Số tiêu chí đạt qua các năm — {report.unit_name}") if report.history else b""
    html = render_to_string("reports/commune.html", {"r": report, "chart": _svg_data_uri(chart) if chart else ""})
    return _html(html).write_pdf()


RENDER_OPTIONS: dict = {}
WRITE_OPTIONS: dict = {}
_SSL = ssl.create_default_context()  # made once: WeasyPrint's fetcher would make one per document (≈ 30 ms)


def _html(html: str):
    """A WeasyPrint document that may read `data:` URLs only (the chart): nothing from disk or the network."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(ssl_context=_SSL, allowed_protocols=("data",)))


def district_chart(report: DistrictReport) -> bytes:
    return met_svg([r.name for r in report.rows], [r.met for r in report.rows], len(report.criteria),
                     title=f"Số tiêu chí đạt của các xã — {report.unit_name}, năm {report.year}")


def district_html(report: DistrictReport, chart: bytes) -> str:
    return render_to_string("reports/district.html", {"r": report, "chart": _svg_data_uri(chart)})


def district_pdf(report: DistrictReport) -> bytes:
    html = district_html(report, district_chart(report))
    return _html(html).render(**RENDER_OPTIONS).write_pdf(**WRITE_OPTIONS)
