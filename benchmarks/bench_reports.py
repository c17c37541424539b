#!/usr/bin/env python
"""Benchmark of the district report (PDF and DOCX) against the district's HTML page, in the same run.

    .venv/bin/python benchmarks/bench_reports.py [--repeat 10] [--quick] [--database-url URL]

Loads the Tân Trụ demo (the real demo loader) into a scratch database, logs in as its district office
(vpdp.tantru) and requests, alternately, the district page, the district report as PDF and as DOCX
(NTMNC 2024, the demo's richest period), through Django's test client. Prints p50/p95 per request, the
ratios report/page, and where the PDF's time goes (the report's data from the one matrix builder, the chart,
the HTML, WeasyPrint's layout and drawing), and the same as JSON. Exit status 1 when the PDF's p50 is above
the aim (0.5 s) — the machine is shared, so read the ratio first. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

DISTRICT = "d805"
PERIOD = "?level=ntmnc&year=2024"
AIM_PDF_SECONDS = 0.5


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--quick", action="store_true", help="3 requests each (a smoke run for CI)")
    p.add_argument("--database-url", default="")
    return p.parse_args()


def timed(call) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = call()
    return time.perf_counter() - t0, out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def pdf_stages(district) -> dict[str, float]:
    """One PDF made stage by stage, as `reports.pdf.district_pdf` does it."""
    from django.utils import timezone
    from weasyprint import HTML

    from ntm.reports import data, pdf

    out = {}
    out["data"], report = timed(lambda: data.district_report(district, level="ntmnc", year=2024,
                                                             today=timezone.localdate()))
    out["chart"], chart = timed(lambda: pdf.district_chart(report))
    out["html"], html = timed(lambda: pdf.district_html(report, chart))
    out["layout"], document = timed(lambda: HTML(string=html).render(**pdf.RENDER_OPTIONS))
    out["write"], _ = timed(lambda: document.write_pdf(**pdf.WRITE_OPTIONS))
    return out


def main() -> int:
    args = parse_args()
    repeat = 3 if args.quick else args.repeat
    os.environ["NTM_REQUIRE_2FA"] = "false"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from bench_evaluation import configure

    url, cleanup = configure(args.database_url)
    try:
        import logging

        from django.contrib.auth import get_user_model
        from django.test import Client

        from ntm.demo.loader import load_demo
        from ntm.units.models import Unit

        logging.disable(logging.INFO)  # the request log is not what is measured
        print(f"database: {url.split('@')[-1]}")
        seconds, _ = timed(lambda: load_demo(with_work=False, with_2026=False))
        print(f"demo loaded in {seconds:.1f} s")
        client = Client()
        client.force_login(get_user_model().objects.get(username="vpdp.tantru"))
        requests = {
            "district page (HTML)": f"/district/{DISTRICT}/{PERIOD}",
            "district report PDF": f"/reports/district/{DISTRICT}.pdf{PERIOD}",
            "district report DOCX": f"/reports/district/{DISTRICT}.docx{PERIOD}",
        }
        sizes = {}
        for name, path in requests.items():  # warm up: catalog, templates, fonts
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            sizes[name] = len(response.content)
        times: dict[str, list[float]] = {name: [] for name in requests}
        for _ in range(repeat):
            for name, path in requests.items():  # alternate, so that noise falls on each alike
                times[name].append(timed(lambda p=path: client.get(p))[0])
        district = Unit.objects.get(key=DISTRICT)
        stages = [pdf_stages(district) for _ in range(max(1, repeat // 2))]
        page = statistics.median(times["district page (HTML)"])
        print(f"\n{'request':<24} {'p50 ms':>8} {'p95 ms':>8} {'× page':>7} {'KB':>7}")
        result: dict = {"repeat": repeat, "requests": {}, "pdf_stages_ms": {}}
        for name in requests:
            p50, p95 = statistics.median(times[name]), percentile(times[name], 95)
            print(f"{name:<24} {1000 * p50:8.1f} {1000 * p95:8.1f} {p50 / page:7.1f} {sizes[name] / 1000:7.1f}")
            result["requests"][name] = {"p50_ms": round(1000 * p50, 1), "p95_ms": round(1000 * p95, 1),
                                        "ratio_to_page": round(p50 / page, 2), "bytes": sizes[name]}
        print("\nPDF stages (p50 ms): " + ", ".join(
            f"{k} {1000 * statistics.median(s[k] for s in stages):.1f}" for k in stages[0]))
        result["pdf_stages_ms"] = {k: round(1000 * statistics.median(s[k] for s in stages), 1) for k in stages[0]}
        pdf_p50 = statistics.median(times["district report PDF"])
        reached = pdf_p50 <= AIM_PDF_SECONDS
        result["aim_pdf_s"], result["reached"] = AIM_PDF_SECONDS, reached
        print(f"\naim: district PDF p50 ≤ {AIM_PDF_SECONDS} s: {'reached' if reached else 'missed'} "
              f"({pdf_p50:.2f} s, {pdf_p50 / page:.1f} × the page)")
        print(json.dumps(result))
        return 0 if reached else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
