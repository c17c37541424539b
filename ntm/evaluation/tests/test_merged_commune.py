"""A commune formed by the 1/7/2025 merger: its page shows its predecessors' history apart from its own
figures, and `ntm evaluate` answers for it against the 2026–2030 set."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.evaluation.actions import refresh_results
from ntm.evaluation.models import UnitResult
from ntm.figures.models import Figure
from ntm.units.models import Kind, Recognition, Succession, Unit

from .conftest import NTMNC, YEAR, build_commune, build_district, build_province, build_user, meet_criteria

NHUT_TAO = "c28087-2025"
QUE_MY_THANH = "c28084"


def page_as(client, username: str, key: str = NHUT_TAO, **params) -> str:
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(reverse("evaluation:commune", args=[key]), params)
    assert response.status_code == 200
    return response.content.decode()


def own_part_and_history(html: str) -> tuple[str, str]:
    """The page before the predecessors' section (the commune's own figures), and that section."""
    start, end = html.index('id="predecessors"'), html.index('id="merger"')
    return html[:start], html[start:end]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_the_commune_official_sees_que_my_thanh_history_labelled_and_never_as_nhut_tao_figures(client, demo_2026):
    qmt = Unit.objects.get(key=QUE_MY_THANH)
    qmt_2024 = UnitResult.objects.get(unit=qmt, criteria_set=NTMNC, year=YEAR)
    qmt_value = Figure.objects.filter(unit=qmt, criteria_set=NTMNC, year=YEAR, value__isnull=False,
                                      superseded_at__isnull=True).order_by("indicator").first()
    own_result = UnitResult.objects.get(unit__key=NHUT_TAO, criteria_set="commune-ntm-2026-2030", year=2026)

    html = page_as(client, "canbo.nhuttao", history=QUE_MY_THANH)  # its figures opened (no script)
    own, history = own_part_and_history(html)

    assert f"<strong>{own_result.met}/{own_result.total}</strong>" in own  # the commune's own score, 2026–2030
    assert "Xã Quê Mỹ Thạnh" in text(own)  # named among what it was formed from
    assert f"Xã Quê Mỹ Thạnh — năm {YEAR}, NTMNC: {qmt_2024.met}/{qmt_2024.total} tiêu chí đạt" in text(history)
    assert "không phải số liệu của Xã Nhựt Tảo" in text(history)
    value = f"{qmt_value.value.normalize():f}".replace(".", ",")
    assert value in text(history)
    assert f"{qmt_2024.met}/{qmt_2024.total}" not in text(own)
    assert 'data-set="commune-ntmnc-2021-2025"' not in own and "2021 - 2025" not in text(own)
    assert 'id="history-c28084" data-predecessor="c28084" open' in history
    # canbo.nhuttao may not open the old commune's page: its name is plain text, not a link
    assert f'href="/commune/{QUE_MY_THANH}/"' not in html


@pytest.mark.django_db
def test_a_predecessors_figures_load_only_when_opened(client, demo_2026):
    qmt = Unit.objects.get(key=QUE_MY_THANH)
    qmt_2024 = UnitResult.objects.get(unit=qmt, criteria_set=NTMNC, year=YEAR)
    label = f"Xã Quê Mỹ Thạnh — năm {YEAR}, NTMNC: {qmt_2024.met}/{qmt_2024.total} tiêu chí đạt"

    closed = page_as(client, "canbo.nhuttao")
    opened = client.get(reverse("evaluation:commune", args=[NHUT_TAO]), {"history": QUE_MY_THANH},
                        HTTP_HX_REQUEST="true")
    unknown = client.get(reverse("evaluation:commune", args=[NHUT_TAO]), {"history": "c99999"},
                         HTTP_HX_REQUEST="true")

    assert label not in text(closed) and "Số liệu của Xã Quê Mỹ Thạnh năm 2024" in text(closed)
    assert f'hx-get="?history={QUE_MY_THANH}"' in closed
    assert label in text(opened.content.decode()) and "<html" not in opened.content.decode()
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_an_administrator_gets_links_to_the_predecessors_pages(client, demo_2026):
    html = page_as(client, "quantri")

    assert f'href="/commune/{QUE_MY_THANH}/"' in own_part_and_history(html)[1]


@pytest.mark.django_db
def test_a_predecessor_without_data_is_said_so_and_the_proposal_waits_for_it(client, demo_2026):
    for key in ("c28084", "c28087", "c28078"):  # the three Tân Trụ communes, recognised NTM
        Recognition.objects.create(unit=Unit.objects.get(key=key), level="ntm", year=2019, decision="QĐ thử")

    page = text(page_as(client, "canbo.nhuttao"))

    assert "Xã Nhị Thành (một phần)" in page
    assert "Không có số liệu trong hệ thống" in page
    assert "Chưa đề xuất được: chưa có thông tin công nhận của Xã Nhị Thành." in page
    assert "Nếu Xã Nhị Thành đã đạt chuẩn NTM: Mọi xã cũ đều đã đạt chuẩn NTM" in page
    assert "Đề xuất, tỉnh chưa quyết định." in page
    assert "267/BNN-VPĐP" in page and "chưa được hướng dẫn thống nhất" in page


@pytest.mark.django_db
def test_a_commune_not_formed_by_a_merger_has_no_history_section(client, demo_2026):
    html = page_as(client, "quantri", QUE_MY_THANH)

    assert 'id="predecessors"' not in html and 'id="merger"' not in html


def add_predecessors(new: Unit, district: Unit, count: int) -> None:
    """`count` old communes of `district`, evaluated and recognised NTM, merged into `new`."""
    start = new.predecessions.count()
    for i in range(start, start + count):
        old = build_commune(f"Cũ {i}", district)
        meet_criteria(old, 3)
        Recognition.objects.create(unit=old, level="ntm", year=2020)
        Succession.objects.create(predecessor=old, successor=new, effective="2025-07-01")
    refresh_results(YEAR)


@pytest.mark.django_db
def test_the_page_needs_the_same_queries_however_many_predecessors(client):
    district = build_district()
    new = Unit.objects.create(key="c99999-2025", code="99999", name="Mới", division_type="xã", kind=Kind.COMMUNE,
                              parent=build_province("Tây Ninh"), commune_group="G2")
    client.force_login(build_user("admin", Role.ADMIN, None))
    url = reverse("evaluation:commune", args=[new.key])
    counts = {}
    for total in (2, 6):
        add_predecessors(new, district, total - new.predecessions.count())
        client.get(url)  # warm: sessions, catalog
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert html.count('<tr data-predecessor="') == total
        counts[total] = len(queries)

    assert counts[2] == counts[6]


@pytest.mark.django_db
def test_evaluate_answers_for_nhut_tao_against_the_ten_criteria_of_2026_2030(demo_2026):
    for name in ("Nhựt Tảo", "xa nhut tao"):
        out = StringIO()
        call_command("evaluate", commune=name, level="ntm", year=2026, json=True, stdout=out)
        data = json.loads(out.getvalue())

        assert data["unit"]["name"] == "Xã Nhựt Tảo"
        assert data["criteria_set"] == "commune-ntm-2026-2030"
        assert data["total"] == 10 == len(data["criteria"])
        assert data["demo_data"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "key"), [(2024, "c25498"), (2026, "c25498-2025")])
def test_evaluate_picks_the_commune_of_that_name_that_existed_in_the_year(demo_2026, year, key):
    out = StringIO()
    call_command("evaluate", commune="thanh binh", level="ntm", year=year, json=True, stdout=out)

    assert json.loads(out.getvalue())["unit"]["key"] == key


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "year", "said", "pointed_to"), [
    ("Nhựt Tảo", 2024, "Xã Nhựt Tảo chỉ có từ ngày 01/07/2025; năm 2024 hãy đánh giá các đơn vị hợp thành:",
     ["Xã Quê Mỹ Thạnh [c28084]", "Xã Nhị Thành [c28057]"]),
    ("que my thanh", 2026, "Xã Quê Mỹ Thạnh không còn sau ngày 30/06/2025; năm 2026 hãy đánh giá đơn vị kế thừa:",
     ["Xã Nhựt Tảo [c28087-2025]"]),
])
def test_evaluate_points_a_year_outside_the_communes_life_to_its_lineage(demo_2026, name, year, said, pointed_to):
    with pytest.raises(CommandError) as refused:
        call_command("evaluate", commune=name, level="ntm", year=year, stdout=StringIO())

    assert str(refused.value).startswith(said)
    for unit in pointed_to:
        assert unit in str(refused.value)


@pytest.mark.django_db
def test_the_history_and_the_recognition_path_read_in_english(client, demo_2026):
    client.force_login(get_user_model().objects.get(username="canbo.nhuttao"))

    page = text(client.get("/en" + reverse("evaluation:commune", args=[NHUT_TAO])).content.decode())

    assert "History of the former communes this commune was formed from" in page
    assert "they are not figures of Xã Nhựt Tảo" in page
    assert "How this applies after 1/7/2025 (no district level any more) is not settled nationally" in page
