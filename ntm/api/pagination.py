"""Page-number pagination with bounds: a page beyond `MAX_PAGE` would only ask the database for an
offset it cannot represent (schemathesis found that), so it is refused with 422 instead."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description="Bị giới hạn ở mức tối đa của thao tác / "
                                                               "capped at the operation's maximum")
