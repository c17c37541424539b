"""Keyset pagination: a page is the rows after the last one of the page before, in the order they were
stored (their id). Neither a count nor a sort of the whole list: the national list answers as fast as a
commune's. `next` carries the URL of the following page (same filters); it is null on the last page.
Rows stored while a client pages through appear on a later page; none is seen twice."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_AFTER = 10**18  # beyond any id; a larger number would only overflow the database's integer


class Keyset(PaginationBase):
    class Input(Schema):
        after: int | None = Field(None, ge=0, le=MAX_AFTER, description=(
            "Trang sau: giá trị `after` trong liên kết `next` của trang trước / the next page: the `after` "
            "of the previous page's `next` link"))
        page_size: int | None = Field(None, ge=1, description="Bị giới hạn ở mức tối đa của thao tác / "
                                                               "capped at the operation's maximum")

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(description="Liên kết tới trang sau (cùng bộ lọc), null ở trang cuối / "
                                             "the URL of the next page (same filters); null on the last page")

    def __init__(self, *, page_size: int = 100, max_page_size: int = 500, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_size = page_size
        self.max_page_size = max_page_size

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        size = min(pagination.page_size or self.page_size, self.max_page_size)
        rows = queryset.order_by("pk")
        if pagination.after is not None:
            rows = rows.filter(pk__gt=pagination.after)
        items = list(rows[:size + 1])  # one more: whether a next page exists, without counting
        if len(items) <= size:
            return {"items": items, "next": None}
        items = items[:size]
        query = request.GET.copy()
        query["after"] = str(items[-1].pk)
        return {"items": items, "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}")}
