"""The audit entries as rows, and as .xlsx or .csv. Every text cell goes through the project's
formula-injection guard (ntm.workbooks.safe_cells): a change's text is whatever a user typed."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ntm.workbooks.safe_cells import csv_row, protect_workbook

from .presentation import action_label, changes_text, event_label, kind_label

MAX_ROWS = 100_000


def header() -> list[str]:
    return [_("Thời điểm"), _("Người thực hiện"), _("Địa chỉ IP"), _("Thao tác"), _("Loại đối tượng"),
            _("Đối tượng"), _("Đơn vị"), _("Thay đổi (trước → sau)")]


def rows(entries):
    for e in entries[:MAX_ROWS]:
        yield [timezone.localtime(e.timestamp).strftime("%d/%m/%Y %H:%M:%S"),
               e.actor.get_username() if e.actor else "", e.remote_addr or "",
               event_label(e) or action_label(e), kind_label(e), e.object_repr,
               e.unit.name if e.unit else "", changes_text(e)]


def as_xlsx(entries) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = _("Nhật ký")[:31]
    ws.append(header())
    for row in rows(entries):
        ws.append(row)
    ws.freeze_panes = "A2"
    protect_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_csv(entries) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(header()))
    for row in rows(entries):
        writer.writerow(csv_row(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 with Vietnamese intact
