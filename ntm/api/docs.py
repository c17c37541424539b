"""The /api/docs page, rendered on the server from the OpenAPI schema: no JavaScript, no CDN.

(django-ninja's Swagger UI would load its assets from a CDN unless `ninja` is in INSTALLED_APPS;
this page needs neither.)"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else schema.get("type", "")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation as the page lists it: method, path, texts, parameters, body and responses."""
    rows = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            rows.append({
                "method": method.upper(), "path": path, "id": op.get("operationId", ""),
                "tags": op.get("tags", []), "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "description": p.get("description", "") or p.get("schema", {}).get("description", ""),
                                "type": _ref_name(p.get("schema", {}))} for p in op.get("parameters", [])],
                "body": _ref_name(body) if body else "",
                "responses": [{"code": code, "description": r.get("description", "")}
                              for code, r in op.get("responses", {}).items()],
            })
    return rows


class ServerRenderedDocs(DocsBase):
    def render_page(self, request: HttpRequest, api, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        components = schema.get("components", {}).get("schemas", {})
        return render(request, "api/docs.html", {
            "info": schema["info"],
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": operations(schema),
            "components": [(name, json.dumps(body, indent=2, ensure_ascii=False))
                           for name, body in sorted(components.items())],
        })
