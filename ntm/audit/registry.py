"""What the audit trail records: every model of the project's apps, the user accounts and the two-factor
devices — except what the system derives or generates by itself. Registered here (django-auditlog), so the
apps' own code stays as it is; a new model is audited unless it is added to NOT_AUDITED with a reason."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

NOT_AUDITED = {
    "evaluation.unitresult": "derived: recomputed from figures and the catalog (ntm results verify)",
    "evaluation.criterionresult": "derived, as above",
    "evaluation.refreshjob": "progress of a re-evaluation, not a decision",
    "alerts.alert": "notifications the system generates from changes that are audited themselves",
    "alerts.digestsent": "bookkeeping of the daily digest",
    "audit.auditentry": "the trail itself",
    "portal.resultsgeneration": "a counter bumped whenever stored results change (caches), not a decision",
    "tasks.job": "progress of background work; who asked for it is on the job itself",
    "exchange.pendingimport": "a preview awaiting confirmation (megabytes of plan); the figures it writes are audited",
}
EXTRA_MODELS = ("auth.user", "auth.group", "otp_totp.totpdevice")

# Fields that change on every use, or that are too large to copy into every entry.
EXCLUDE_FIELDS = {
    "auth.user": ["last_login"],
    "api.apitoken": ["last_used"],
    "otp_totp.totpdevice": ["last_t", "drift", "throttling_failure_timestamp", "throttling_failure_count",
                            "last_used_at", "created_at"],
    "maps.boundary": ["geometry", "simplified"],
}
# Secrets: recorded as changed, never readable.
MASK_FIELDS = {"auth.user": ["password"], "api.apitoken": ["key_hash"], "otp_totp.totpdevice": ["key"]}
M2M_FIELDS = {"workflow.inspection": {"communes"}, "auth.user": {"groups"}}


def audited_models() -> list:
    models = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ntm."):
            continue
        models += [m for m in config.get_models() if m._meta.label_lower not in NOT_AUDITED]
    for label in EXTRA_MODELS:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    return models


def register_all() -> None:
    for model in audited_models():
        label = model._meta.label_lower
        if auditlog.contains(model):
            continue
        auditlog.register(model, exclude_fields=EXCLUDE_FIELDS.get(label, []), mask_fields=MASK_FIELDS.get(label, []),
                          m2m_fields=M2M_FIELDS.get(label, set()))
