"""A report of every commune of a province, built in the background: a province office asks for it on
/reports/province/<key>/, follows it on /tasks/<n>/ and downloads it from there.

- PDF: the province's communes × criteria summary, then each commune's own report (a page or two each);
- DOCX: the summary as a Word document;
- XLSX: the summary as a workbook, one row per commune.

Built from the district report's data (`data.district_report`, once per district before 1/7/2025, once for
the province's own communes after) and rendered by the same renderers as the one-district reports."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.evaluation.actions import valid_in
from ntm.evaluation.presenters import level_name
from ntm.evaluation.report import NoCriteriaSet
from ntm.evaluation.selectors import area_communes
from ntm.tasks.models import Job
from ntm.tasks.queue import NotRetryable, Progress, create_job, enqueue, run_job, store_file
from ntm.units.models import Kind, Unit

from . import data, docx, pdf

FORMATS = ("pdf", "docx", "xlsx")


def start_province_report(province: Unit, *, level: str, year: int, fmt: str, by) -> Job:
    """Record the request and queue the work (with the caller's transaction)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return _start(Job.Kind.PROVINCE_REPORT, province_report_task, "province", province, level, year, fmt, by)


def _start(kind: Job.Kind, work, param: str, area: Unit, level: str, year: int, fmt: str, by) -> Job:
    subject = f"{area.full_name} — {data.LEVEL_NAMES.get(level, level)} {year} — {fmt.upper()}"
    job = create_job(kind, subject, by=by, params={param: area.key, "level": level, "year": year, "format": fmt})
    enqueue(work, job.pk, 1)
    return job


def _asked(job: Job, param: str, kind: Kind, missing: str) -> tuple[Unit, str, int, str]:
    """The area, level, year and format a report job was queued with (the area gone: not worth retrying)."""
    p = job.params
    area = Unit.objects.filter(key=p[param], kind=kind).first()
    if area is None:
        raise NotRetryable(missing % {"key": p[param]})
    return area, p["level"], int(p["year"]), p["format"]


@task()
def province_report_task(job_id: int, attempt: int = 1) -> dict:
    return run_job(province_report_task, job_id, attempt, build)


def build(job: Job, progress: Progress) -> dict:
    """The work: the summary (a step per district), then each commune's report for a PDF (a step each)."""
    province, level, year, fmt = _asked(job, "province", Kind.PROVINCE, _("Không có tỉnh %(key)s"))
    today = timezone.localdate()
    groups = [*Unit.objects.filter(valid_in(year), kind=Kind.DISTRICT, parent=province).order_by("name")]
    if not groups or Unit.objects.filter(valid_in(year), kind=Kind.COMMUNE, parent=province).exists():
        groups.append(province)  # communes right under the province (since 1/7/2025)
    communes = area_communes(province, year) if fmt == "pdf" else []
    total = len(groups) + len(communes)
    progress(0, total)
    summary = province_summary(province, groups, level=level, year=year, today=today, progress=progress)
    if fmt == "xlsx":
        content = summary_xlsx(summary)
    elif fmt == "docx":
        content = docx.district_docx(summary)
    else:
        content = _pdf_with_communes(summary, communes, level=level, year=year, today=today,
                                     step=lambda n: progress(len(groups) + n))
    name = f"bao-cao-toan-tinh-{province.key}-{level}-{year}.{fmt}"
    store_file(job, content, name)
    return {"communes": len(summary.rows), "reached": summary.reached, "bytes": len(content)}


def province_summary(province: Unit, groups: list[Unit], *, level: str, year: int, today: date,
                     progress: Progress) -> data.DistrictReport:
    """One communes × criteria report for the whole province: the reports of its districts (or of its own
    communes) put together under the province's heading."""
    parts = []
    for done, group in enumerate(groups, start=1):
        report = data.district_report(group, level=level, year=year, today=today)
        if report is None:
            raise NotRetryable(_("Không có bộ tiêu chí xã mức “%(level)s” năm %(year)s") % {
                "level": level_name(level), "year": year})
        if report.rows:
            parts.append((group, report))
        progress(done)
    if not parts:
        raise NotRetryable(_("%(province)s: không có xã nào năm %(year)s") % {
            "province": province.full_name, "year": year})
    several = len(parts) > 1
    rows = tuple(replace(row, name=f"{row.name} ({group.name})") if several else row
                 for group, report in parts for row in report.rows)
    first = parts[0][1]
    header = replace(first.header, issuer_parent=f"UBND {province.full_name.upper()}", place=province.name,
                     subtitle=f"Tổng hợp kết quả thực hiện Bộ tiêu chí xã {data.LEVEL_NAMES.get(level, level)} "
                              f"năm {year} trên địa bàn {province.full_name}")
    return replace(first, header=header, unit_name=province.full_name, rows=rows,
                   reached=sum(r.reached for _g, r in parts), demo=any(r.demo for _g, r in parts),
                   threshold_demo=any(r.threshold_demo for _g, r in parts))


def _pdf_with_communes(summary: data.DistrictReport, communes: list[Unit], *, level: str, year: int, today: date,
                       step) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(io.BytesIO(pdf.district_pdf(summary)))
    for done, commune in enumerate(communes, start=1):
        try:
            report = data.commune_report(commune, level=level, year=year, today=today)
        except NoCriteriaSet:
            report = None
        if report is not None:
            writer.append(io.BytesIO(pdf.commune_pdf(report)))
        step(done)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def summary_xlsx(summary: data.DistrictReport) -> bytes:
    """The summary as a workbook: a title, then one row per commune (criteria met, then each criterion)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([summary.header.subtitle])
    sheet["A1"].font = Font(bold=True)
    sheet.append([f"{summary.set_name} ({summary.document}){' — ' + summary.basis if summary.basis else ''}"])
    sheet.append([])
    sheet.append(["Xã", "Số tiêu chí đạt", "Tổng số tiêu chí",
                  *(f"{code}. {name}" for code, name in summary.criteria)])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in summary.rows:
        sheet.append([row.name, row.met, row.total, *row.cells])
    sheet.append([])
    sheet.append([f"Số xã đạt đủ tiêu chí: {summary.reached}/{len(summary.rows)}"])
    if summary.threshold_demo:
        sheet.append([summary.demo_note])
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "B5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- One district's report (PDF or Word), also built in the background: its layout takes seconds ----------

DISTRICT_FORMATS = ("pdf", "docx")


def district_report_name(district: Unit, level: str, year: int, fmt: str) -> str:
    return f"tong-hop-{district.key}-{level}-{year}.{fmt}"


def start_district_report(district: Unit, *, level: str, year: int, fmt: str, by) -> Job:
    """Record the request and queue the work (with the caller's transaction)."""
    if fmt not in DISTRICT_FORMATS:
        raise ValueError(fmt)
    return _start(Job.Kind.DISTRICT_REPORT, district_report_task, "district", district, level, year, fmt, by)


@task()
def district_report_task(job_id: int, attempt: int = 1) -> dict:
    return run_job(district_report_task, job_id, attempt, build_district)


def build_district(job: Job, progress: Progress) -> dict:
    """Two steps: the data (quick), then the document's layout (the slow part)."""
    district, level, year, fmt = _asked(job, "district", Kind.DISTRICT, _("Không có huyện %(key)s"))
    progress(0, 2)
    report = data.district_report(district, level=level, year=year, today=timezone.localdate())
    if report is None:
        raise NotRetryable(_("Không có bộ tiêu chí xã mức “%(level)s” năm %(year)s") % {
            "level": level_name(level), "year": year})
    progress(1)
    content = pdf.district_pdf(report) if fmt == "pdf" else docx.district_docx(report)
    store_file(job, content, district_report_name(district, level, year, fmt))
    progress(2)
    return {"communes": len(report.rows), "reached": report.reached, "bytes": len(content)}
