"""The one place alerts are written and mailed.

Wiring: the evaluation app announces `results_refreshed` (ntm/evaluation/signals.py) with the stored
criterion statuses before and after a refresh; `on_results_refreshed`, connected in
`AlertsConfig.ready`, alerts about what slipped. The alerts are written in the transaction that
changed the results (the inbox shows them at once); their mail is a task queued in it (`tasks.mail_alerts_task`),
so a save neither waits for the mail server nor fails with it, and no mail leaves for a rolled-back save."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from ntm.catalog_source import get_catalog
from ntm.core.engine import Status
from ntm.core.revocation import slipped
from ntm.units.models import Unit

from . import recipients, work
from .digest import DigestInput, build_alert_mail, build_digest, format_day
from .models import Alert, AlertKind, DigestSent, NotificationSettings
from .selectors import at_risk

Snapshot = dict[tuple[int, str], dict[str, Status]]  # (unit id, criteria set) → criterion → status


def on_results_refreshed(sender, *, year: int, unit_ids: Collection[int], before: Snapshot, after: Snapshot,
                         units: Collection[Unit] = (), **_kw) -> None:
    """Receiver of `ntm.evaluation.signals.results_refreshed` (`units`: those units, when the sender has them)."""
    compare_and_alert(before, after, unit_ids, year, units=units)


def compare_and_alert(before: Snapshot, after: Snapshot, unit_ids: Collection[int], year: int, *,
                      now: datetime | None = None, units: Collection[Unit] = ()) -> list[Alert]:
    """Alert about every criterion met in `before` and not met in `after`, then about recognised
    communes whose title is newly at risk. Returns the alerts written. `units`: the units, if the caller
    has them (not read again)."""
    now = now or timezone.now()
    slips = [(unit_id, set_id, code) for (unit_id, set_id), current in after.items()
             for code in slipped(before.get((unit_id, set_id), {}), current)]
    created = _slip_alerts(slips, year, now, {u.pk: u for u in units})
    # A title's risk follows the statuses: units whose statuses did not move keep the risk already announced.
    moved = {unit_id for (unit_id, set_id), current in after.items() if before.get((unit_id, set_id)) != current}
    created += revocation_watch([u for u in unit_ids if u in moved], year, now=now)
    return created


def _slip_alerts(slips: list[tuple[int, str, str]], year: int, now: datetime, known: dict[int, Unit]) -> list[Alert]:
    if not slips:
        return []
    catalog = get_catalog()
    wanted = {u for u, _, _ in slips}
    units = {pk: known[pk] for pk in wanted} if wanted <= known.keys() else Unit.objects.in_bulk(wanted)
    officials, offices, assigned = recipients.slip_recipients(
        units, {u.parent_id for u in units.values() if u.parent_id}, year)
    alerts = []
    for unit_id, set_id, code in slips:
        unit, cset = units[unit_id], catalog.get(set_id)
        criterion = next(c for c in cset.criteria if c.code == code)
        params = {"commune": unit.full_name, "criterion": code, "criterion_name_vi": criterion.name_vi,
                  "criterion_name_en": criterion.name_en, "set_name_vi": cset.name_vi, "set_name_en": cset.name_en,
                  "year": year}
        responsible = assigned.get((unit_id, set_id, code))
        district_office = offices.get(unit.parent_id, set()) if unit.parent_id else set()
        to_alert = (responsible or officials.get(unit_id, set())) | district_office
        alerts += [Alert(kind=AlertKind.CRITERION_SLIPPED, unit=unit, criteria_set=set_id, year=year, criterion=code,
                         params=params, recipient_id=user_id, created_at=now) for user_id in sorted(to_alert)]
    return _create(alerts)


def revocation_watch(unit_ids: Collection[int], year: int, *, now: datetime | None = None) -> list[Alert]:
    """Alert the district office and leaders about recognised communes among `unit_ids` whose title is
    at risk in `year`. The same risk (same unmet criteria) is announced once per person."""
    if not unit_ids:
        return []
    now = now or timezone.now()
    risks = at_risk(unit_ids, year)
    if not risks:
        return []
    districts = {r.unit.parent_id for r in risks if r.unit.parent_id}
    offices, leaders = recipients.district_offices(districts), recipients.district_leaders(districts)
    alerts = []
    for r in risks:
        level_vi, level_en = r.level_name
        params = {"commune": r.unit.full_name, "level": r.recognition.level, "level_name_vi": level_vi,
                  "level_name_en": level_en, "reason_vi": r.risk.reason_vi, "reason_en": r.risk.reason_en,
                  "unmet": list(r.risk.unmet), "year": year}
        key = f"revocation_risk:{r.unit.pk}:{r.set_id}:{year}:{','.join(r.risk.unmet)}"
        district = r.unit.parent_id
        people = (offices.get(district, set()) | leaders.get(district, set())) if district else set()
        alerts += [Alert(kind=AlertKind.REVOCATION_RISK, unit=r.unit, criteria_set=r.set_id, year=year,
                         params=params, recipient_id=user_id, created_at=now, dedupe_key=key)
                   for user_id in sorted(people)]
    return _create(alerts)


def _create(alerts: list[Alert]) -> list[Alert]:
    """Write the alerts not already announced (same person, same dedupe key) and queue their mail."""
    keys = {a.dedupe_key for a in alerts if a.dedupe_key}
    seen = set(Alert.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key")) if keys else set()
    fresh = [a for a in alerts if not a.dedupe_key or (a.recipient_id, a.dedupe_key) not in seen]
    created = Alert.objects.bulk_create(fresh)
    if created:
        from .tasks import queue_alert_mails  # tasks imports this module

        queue_alert_mails([a.pk for a in created])
    return created


def mark_read(alert: Alert, *, now: datetime | None = None) -> None:
    if alert.read_at is None:
        alert.read_at = now or timezone.now()
        alert.save(update_fields=["read_at"])


def mark_all_read(user, *, now: datetime | None = None) -> int:
    return Alert.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


# --- mail ----------------------------------------------------------------------------------------

def _preferences(user_ids: Iterable[int]) -> dict[int, NotificationSettings]:
    return {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}


def language_of(prefs: NotificationSettings | None) -> str:
    return prefs.language if prefs else "vi"


def _mailable(user, prefs: NotificationSettings | None) -> bool:
    return bool(user.email) and user.is_active and (prefs is None or prefs.email)


def _name(user) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def send_alert_mails(alert_ids: Collection[int], *, now: datetime | None = None) -> int:
    """Mail each recipient their new alerts in one message; mark them mailed. Returns messages sent."""
    alerts = list(Alert.objects.filter(pk__in=alert_ids, emailed_at__isnull=True)
                  .select_related("recipient", "recipient__notification_settings"))
    by_user: dict[int, list[Alert]] = defaultdict(list)
    for a in alerts:
        by_user[a.recipient_id].append(a)
    prefs = {a.recipient_id: s for a in alerts if (s := getattr(a.recipient, "notification_settings", None))}
    messages, mailed = [], []
    for user_id, mine in by_user.items():
        user = mine[0].recipient
        if not _mailable(user, prefs.get(user_id)):
            continue
        lang = language_of(prefs.get(user_id))
        with translation.override(lang):
            subject, body = build_alert_mail(_name(user), tuple(a.message for a in mine), lang)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        mailed += [a.pk for a in mine]
    sent = send_mass_mail(messages) if messages else 0
    Alert.objects.filter(pk__in=mailed).update(emailed_at=now or timezone.now())
    return sent


@dataclass(frozen=True)
class DigestMail:
    username: str
    email: str
    language: str
    subject: str
    body: str


@transaction.atomic
def send_digests(today: date, *, dry_run: bool = False, now: datetime | None = None) -> list[DigestMail]:
    """One digest per user for `today`: work due within 7 days, overdue work, and alerts not yet
    mailed. Records due/overdue alerts for the inbox, marks what was mailed, and never sends a second
    digest the same day. With `dry_run`, builds the digests and changes nothing."""
    now = now or timezone.now()
    open_work = work.open_work(today)
    unmailed: dict[int, list[Alert]] = defaultdict(list)
    for a in Alert.objects.filter(emailed_at__isnull=True, read_at__isnull=True).exclude(
            kind__in=[AlertKind.DUE, AlertKind.OVERDUE]).order_by("created_at", "pk"):
        unmailed[a.recipient_id].append(a)
    already = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    user_ids = (set(open_work) | set(unmailed)) - already
    users = get_user_model().objects.in_bulk(user_ids)
    prefs = _preferences(user_ids)
    out = []
    for user_id in sorted(user_ids):
        user = users[user_id]
        if not _mailable(user, prefs.get(user_id)):
            continue
        lang = language_of(prefs.get(user_id))
        due, overdue = work.split(open_work.get(user_id, []), today)
        with translation.override(lang):
            texts = tuple(a.message for a in unmailed.get(user_id, []))
        built = build_digest(DigestInput(_name(user), today, due, overdue, texts), lang)
        if built is None:
            continue
        out.append(DigestMail(user.get_username(), user.email, lang, *built))
        if not dry_run:
            _record_digest(user, today, due, overdue, unmailed.get(user_id, []), now)
    if not dry_run and out:
        messages = [(d.subject, d.body, settings.DEFAULT_FROM_EMAIL, [d.email]) for d in out]
        transaction.on_commit(lambda: send_mass_mail(messages))
    return out


def _record_digest(user, today: date, due, overdue, alerts: list[Alert], now: datetime) -> None:
    DigestSent.objects.create(user=user, day=today, sent_at=now)
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=now)
    rows = [(AlertKind.DUE, r) for r in due] + [(AlertKind.OVERDUE, r) for r in overdue]
    _create_quietly([Alert(kind=kind, recipient=user, created_at=now, emailed_at=now,
                           params={"title": r.title, "due": format_day(r.due, "vi"), "unit": r.unit},
                           dedupe_key=f"{kind}:{r.due.isoformat()}:{r.title}"[:200]) for kind, r in rows])


def _create_quietly(alerts: list[Alert]) -> None:
    """Inbox copies of work already in the digest: written once, not mailed again."""
    keys = {a.dedupe_key for a in alerts}
    seen = set(Alert.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key"))
    Alert.objects.bulk_create([a for a in alerts if (a.recipient_id, a.dedupe_key) not in seen])
