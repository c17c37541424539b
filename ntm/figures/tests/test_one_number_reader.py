"""One reader for a figure's number: the entry form, the Excel import and the API accept the same text
and refuse the same text with the same message; nothing is rounded, nothing silently becomes 0."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import escape

from ntm.api.actions import create_token
from ntm.exchange import layout as L
from ntm.exchange.tests.conftest import download, fill, upload
from ntm.figures.models import Figure
from ntm.figures.parsing import NumberUnreadable, figure_value

NTMNC = "commune-ntmnc-2021-2025"
QMT = "c28084"
SHEET = "Quê Mỹ Thạnh"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("68,2", "68.2"), ("68.2", "68.2"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), (" 75 ", "75"),
        ("0,0001", "0.0001"), ("-3,5", "-3.5"), ("1,23400000", "1.234"), ("9999999999,9999", "9999999999.9999"),
        ("0", "0"), ("−2", "-2"),
    ],
)
def test_the_reader_accepts_numbers_as_people_type_them(typed, value):
    assert figure_value(typed) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("٣٤", "“٣٤” có chữ số không phải 0–9"),
        ("３４", "“３４” có chữ số không phải 0–9"),
        ("1e-400", "“1e-400” viết dạng lũy thừa (e)"),
        ("1E+2", "“1E+2” viết dạng lũy thừa (e)"),
        ("0,00001", "“0,00001” quá nhỏ: số liệu chỉ lưu 4 chữ số sau dấu thập phân, nên sẽ thành 0."),
        ("0,12345", "“0,12345” có 5 chữ số sau dấu thập phân; số liệu chỉ lưu 4, nên sẽ thành 0,1234."),
        ("12345678901", "“12345678901” quá lớn"),
        ("1.234", "“1.234” vừa có thể là số nguyên 1234"),
        ("NaN", "“NaN” không phải là số"),
        ("abc", "“abc” không phải là số"),
    ],
)
def test_the_reader_refuses_what_it_cannot_store_as_typed_and_says_why(typed, says):
    with pytest.raises(NumberUnreadable) as refused:
        figure_value(typed)
    assert str(refused.value).startswith(says)


@pytest.mark.parametrize(("number", "value"), [(Decimal("1E+2"), "100"), (34, "34"), (68.2, "68.2")])
def test_machine_numbers_are_taken_exactly_and_never_shown_with_an_exponent(number, value):
    read = figure_value(number)
    assert read == Decimal(value) and str(read) == value


@pytest.mark.parametrize("number", [Decimal("1E-400"), 0.1 + 0.2, float("inf")])
def test_machine_numbers_that_would_be_rounded_are_refused(number):
    with pytest.raises(NumberUnreadable):
        figure_value(number)


HOSTILE = ["٣٤", "３４", "1e-400", "1E+2", "0,00001", "0,12345"]


def _form_refusal(client, typed: str) -> str:
    shown = Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024, superseded_at=None)
    response = client.post(f"/entry/{QMT}/{NTMNC}/10.1/2024/", {"i10_1-value": typed,
                                                                "i10_1-expected_current": shown.pk},
                           headers={"HX-Request": "true"})
    return response.content.decode()


@pytest.mark.parametrize("typed", HOSTILE)
def test_the_form_the_api_and_the_excel_import_refuse_alike(client, demo, typed):
    try:
        figure_value(typed)
    except NumberUnreadable as exc:
        message = str(exc)
    official = get_user_model().objects.get(username="canbo.quemythanh")
    before = Figure.objects.count()

    client.force_login(official)
    assert escape(message) in _form_refusal(client, typed)

    token = create_token(official, name="tests")[1]
    answer = client.post("/api/figures", {"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1", "year": 2024,
                                          "value": typed, "expected_current": None},
                         content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and answer.json()["detail"] == message

    plan = upload(client, fill(download(client), {(SHEET, "10.1"): {L.NEW_VALUE: typed}})).context["plan"]
    assert [e.message for e in plan.errors] == [message] and plan.changes == ()
    assert Figure.objects.count() == before


@pytest.mark.parametrize(("body", "says"), [("1e-400", "quá nhỏ"), ("0.00001", "quá nhỏ"), ("0.12345", "0,1234")])
def test_api_json_numbers_are_not_rounded_to_zero_or_to_four_places(client, demo, body, says):
    official = get_user_model().objects.get(username="canbo.quemythanh")
    token = create_token(official, name="tests")[1]
    raw = (f'{{"unit": "{QMT}", "criteria_set": "{NTMNC}", "indicator": "10.1", "year": 2024, "value": {body}, '
           '"expected_current": null}')
    answer = client.post("/api/figures", raw, content_type="application/json",
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and says in answer.json()["detail"]


def test_api_accepts_its_own_decimal_strings_and_json_numbers(client, demo):
    official = get_user_model().objects.get(username="canbo.quemythanh")
    token = create_token(official, name="tests")[1]
    for value, stored in (("1.234", "1.234"), (77, "77"), ("1E+2", None)):
        current = Figure.objects.get(unit__key=QMT, criteria_set=NTMNC, indicator="10.1", year=2024,
                                     superseded_at=None)
        answer = client.post("/api/figures", {"unit": QMT, "criteria_set": NTMNC, "indicator": "10.1",
                                              "year": 2024, "value": value, "expected_current": current.pk},
                             content_type="application/json", headers={"Authorization": f"Bearer {token}"})
        if stored is None:
            assert answer.status_code == 400  # exponent text: refused as on the form
        else:
            assert answer.status_code == 201 and Decimal(answer.json()["value"]) == Decimal(stored)
