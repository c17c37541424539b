"""The REST API (django-ninja), mounted at /api/. Every operation needs a bearer token
(`ntm api_token create <username>`) or a logged-in browser session, and acts with that user's
permissions; writes call the same actions as the pages."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.parser import Parser

from .auth import API_AUTH
from .docs import ServerRenderedDocs
from .routers import catalog, dossiers, figures, results, units, workflow

DESCRIPTION = """\
**Tiếng Việt.** API của NTM Tracker: đơn vị hành chính, bộ tiêu chí, số liệu, kết quả đánh giá, phân công,
đợt kiểm tra, kết luận cần thực hiện và hồ sơ công nhận (các bước, điều kiện, tài liệu) của
Chương trình MTQG xây dựng nông thôn mới. Xác thực bằng `Authorization: Bearer <khóa>` (tạo khóa bằng
`ntm api_token create <tên đăng nhập>`) hoặc phiên đăng nhập trình duyệt (khi đó POST cần mã CSRF).
Quyền như trên trang web: chỉ đọc được đơn vị trong phạm vi của mình, chỉ ghi số liệu cho đơn vị và
lĩnh vực mình phụ trách. 401: chưa xác thực; 404: mã đơn vị/số liệu không tồn tại; 403: có nhưng nằm
ngoài phạm vi. Số thập phân được gửi dưới dạng chuỗi.

**English.** The NTM Tracker API: administrative units, criteria sets, figures, evaluation results,
assignments, inspections and follow-ups, and recognition dossiers (steps, conditions, documents) of
the National Target Program on New Rural Development. Authenticate with `Authorization: Bearer <token>`
(create one with `ntm api_token create <username>`) or a logged-in browser session (POST then needs the
CSRF token). Permissions are the pages': you read only units within your scope and record figures only
for the units and fields you are responsible for. 401: not authenticated; 404: no such unit key or
figure; 403: it exists but lies outside your scope. Decimals travel as strings.
"""

class _DecimalParser(Parser):
    """JSON numbers as Decimal, never float: 1e-400 must not arrive as 0, nor 0.1 as 0.1000000000000000055."""

    def parse_body(self, request: HttpRequest):
        return json.loads(request.body, parse_float=Decimal)


api = NinjaAPI(
    parser=_DecimalParser(),
    title="NTM Tracker API",
    version="1.0.0",
    description=DESCRIPTION,
    auth=API_AUTH,
    urls_namespace="api",
    docs=ServerRenderedDocs(),
)

api.add_router("/units", units.router)
api.add_router("/catalog", catalog.router)
api.add_router("/figures", figures.router)
api.add_router("/results", results.router)
api.add_router("/", workflow.router)
api.add_router("/dossiers", dossiers.router)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": "Không có quyền / Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    """422 in the one error shape, `{"detail": "<where>: <what>; …"}`, like every other refusal."""
    parts = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors]
    return api.create_response(request, {"detail": "; ".join(parts)}, status=422)
