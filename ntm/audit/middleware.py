"""Who and from where, for every entry a request writes (django-auditlog's middleware, with the project's
one answer for the client address, and a context that is reset when the request ends)."""

from __future__ import annotations

from auditlog.cid import set_cid
from auditlog.middleware import AuditlogMiddleware

from ntm.accounts.client import client_ip

from .context import acting


class AuditMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    def __call__(self, request):
        set_cid(request)
        data = self.get_extra_data(request)
        with acting(data["actor"], remote_addr=data["remote_addr"], remote_port=data["remote_port"],
                    request=request):  # the API's token user is known only later (models.request_actor)
            return self.get_response(request)
