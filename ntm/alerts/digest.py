"""The daily digest and the alert mail, as text, from plain rows: no ORM, no clock, no translation
machinery (the texts are chosen by the language given)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class WorkRow:
    """Something a person must do by a date: an assignment, a follow-up."""

    title: str
    due: date
    unit: str = ""


@dataclass(frozen=True)
class DigestInput:
    name: str
    today: date
    due: tuple[WorkRow, ...] = ()
    overdue: tuple[WorkRow, ...] = ()
    alerts: tuple[str, ...] = field(default=())  # alert texts already in the reader's language

    @property
    def empty(self) -> bool:
        return not (self.due or self.overdue or self.alerts)


TEXTS = {
    "vi": {
        "subject": "NTM Tracker: bản tin ngày {day} — {due} sắp đến hạn, {overdue} quá hạn, {alerts} cảnh báo",
        "hello": "Kính gửi {name},",
        "overdue": "Quá hạn",
        "due": "Đến hạn trong 7 ngày",
        "alerts": "Tiêu chí tụt hạng và cảnh báo",
        "item": "- {title}{unit} — hạn {due}",
        "footer": "Xem và đánh dấu đã đọc tại trang Cảnh báo của NTM Tracker.",
        "alert_subject": "NTM Tracker: {n} cảnh báo mới",
    },
    "en": {
        "subject": "NTM Tracker: digest for {day} — {due} due soon, {overdue} overdue, {alerts} alerts",
        "hello": "Dear {name},",
        "overdue": "Overdue",
        "due": "Due within 7 days",
        "alerts": "Slipping criteria and alerts",
        "item": "- {title}{unit} — due {due}",
        "footer": "See them and mark them read on the Alerts page of NTM Tracker.",
        "alert_subject": "NTM Tracker: {n} new alert(s)",
    },
}


def format_day(day: date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def _texts(lang: str) -> dict[str, str]:
    return TEXTS["en" if lang.startswith("en") else "vi"]


def build_digest(data: DigestInput, lang: str = "vi") -> tuple[str, str] | None:
    """(subject, body) of one person's digest, or None when there is nothing to tell."""
    if data.empty:
        return None
    t = _texts(lang)
    subject = t["subject"].format(day=format_day(data.today, lang), due=len(data.due),
                                  overdue=len(data.overdue), alerts=len(data.alerts))
    lines = [t["hello"].format(name=data.name), ""]
    for heading, rows in (("overdue", data.overdue), ("due", data.due)):
        if rows:
            lines += [f"{t[heading]} ({len(rows)}):"]
            lines += [t["item"].format(title=r.title, unit=f" ({r.unit})" if r.unit else "",
                                       due=format_day(r.due, lang)) for r in sorted(rows, key=lambda r: r.due)]
            lines.append("")
    if data.alerts:
        lines += [f"{t['alerts']} ({len(data.alerts)}):", *(f"- {a}" for a in data.alerts), ""]
    lines.append(t["footer"])
    return subject, "\n".join(lines)


def build_alert_mail(name: str, alerts: tuple[str, ...], lang: str = "vi") -> tuple[str, str]:
    """(subject, body) of the mail sent when alerts are raised."""
    t = _texts(lang)
    body = [t["hello"].format(name=name), "", *(f"- {a}" for a in alerts), "", t["footer"]]
    return t["alert_subject"].format(n=len(alerts)), "\n".join(body)
