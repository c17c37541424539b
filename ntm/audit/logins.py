"""Log-ins, log-outs and failed log-ins go into the audit trail, with the address they came from."""

from __future__ import annotations

from auditlog.cid import get_cid
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from ntm.accounts.client import client_ip

from .models import AuditEntry
from .scope import home_unit_id

LOGIN, LOGOUT, LOGIN_FAILED = "login", "logout", "login_failed"


def record_access(event: str, request, *, user=None, username: str = "") -> AuditEntry:
    users = get_user_model()
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(users),
        object_pk=str(user.pk) if user is not None else "", object_id=user.pk if user is not None else None,
        object_repr=user.get_username() if user is not None else username[:150],
        action=AuditEntry.Action.ACCESS, changes={}, additional_data={"event": event},
        actor=user if event != LOGIN_FAILED else None, actor_email=(user.email or None) if user else None,
        remote_addr=client_ip(request) if request is not None else None,
        unit_id=home_unit_id(user.pk) if user is not None else None, cid=get_cid())


@receiver(user_logged_in, dispatch_uid="ntm_audit_login")
def _logged_in(sender, request, user, **kwargs):
    record_access(LOGIN, request, user=user)


@receiver(user_logged_out, dispatch_uid="ntm_audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_access(LOGOUT, request, user=user)


@receiver(user_login_failed, dispatch_uid="ntm_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    if request is None:  # a check by a script, not a log-in
        return
    username = str(credentials.get("username") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    record_access(LOGIN_FAILED, request, user=user, username=username)
