"""Who and from where, for every entry a request writes (django-auditlog's middleware, with the project's
one answer for the client address)."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware

from ntm.accounts.client import client_ip


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        data["request"] = request  # the API's token user is known only later (models.request_actor)
        return data
