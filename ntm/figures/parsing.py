"""Reading numbers as people type them: Vietnamese "1.234,5" and "68,2", and also "68.2" or "1,234.5".
A lone separator followed by exactly three digits ("1.234", "2,500") means a thousand in one convention
and a fraction in the other, so it is refused rather than guessed."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.formats import get_format
from django.utils.translation import gettext as _

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_SHAPE = re.compile(r"[+-]?[0-9.,]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:X[0-9]{3})+")
_EXPONENT = re.compile(r"[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+")
_MACHINE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# What a figure's value can hold (Figure.value: max_digits=14, decimal_places=4).
STORED_PLACES = 4
STORED_WHOLE_DIGITS = 10


class NumberUnreadable(ValueError):
    """The text is not a number we can read without guessing; the message says why."""


def parse_number(raw: str) -> Decimal:
    text = _SPACES.sub("", raw).replace("\u2212", "-")
    if not text:
        raise NumberUnreadable(_("Chưa nhập số."))
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise NumberUnreadable(_("“%(raw)s” có chữ số không phải 0–9 (ví dụ chữ số Ả Rập hay chữ số toàn khổ); "
                                 "hãy gõ bằng chữ số 0–9.") % {"raw": raw.strip()})
    if _EXPONENT.fullmatch(text):
        raise NumberUnreadable(_("“%(raw)s” viết dạng lũy thừa (e); hãy viết số đầy đủ, ví dụ 0,0001 hoặc 100.")
                               % {"raw": raw.strip()})
    if not _SHAPE.fullmatch(text) or not any(ch.isdigit() for ch in text):
        raise NumberUnreadable(_("“%(raw)s” không phải là số; chỉ dùng chữ số, dấu phẩy hoặc dấu chấm.")
                               % {"raw": raw.strip()})
    sign, digits = ("-", text[1:]) if text[0] in "+-" else ("", text)
    if text[0] == "+":
        sign = ""
    return Decimal(sign + _plain(digits, raw.strip()))


def figure_value(raw: str | int | float | Decimal, *, machine: bool = False) -> Decimal:
    """The one reader of a figure's number, for the form, the Excel import and the API: text as people
    type it (`parse_number`), or a number a spreadsheet cell or a JSON body holds. `machine`: a string in
    the API's own decimal format ("1.234", dot as decimal point) is taken as that number. Refused, with a
    message, when it cannot be stored as it is: never rounded, never silently 0."""
    if isinstance(raw, bool):
        raise NumberUnreadable(_("“%(raw)s” không phải là số.") % {"raw": raw})
    if isinstance(raw, str):
        shown = raw.strip()
        value = Decimal(shown) if machine and _MACHINE.fullmatch(shown) else parse_number(raw)
    else:
        shown, value = str(raw), Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
    return storable(value, shown)


def _exponent(finite: Decimal) -> int:
    exponent = finite.as_tuple().exponent
    assert isinstance(exponent, int)  # "n", "N" and "F" only for NaN, sNaN and infinity
    return exponent


def storable(value: Decimal, shown: str) -> Decimal:
    """`value` if a figure holds it exactly; refused with the reason otherwise."""
    if not isinstance(value, Decimal):  # an int or float a caller computed (e.g. a province layer's test)
        value = Decimal(str(value))
    if not value.is_finite():
        raise NumberUnreadable(_("“%(raw)s” không phải là một số hữu hạn.") % {"raw": shown})
    value = value.normalize() if value else Decimal(0)
    if _exponent(value) > 0:
        value = value.quantize(Decimal(1))  # 1E+2 → 100: never echoed in exponent form
    places = max(0, -_exponent(value))
    if places > STORED_PLACES:
        rounded = round(value, STORED_PLACES)
        if not rounded:
            raise NumberUnreadable(
                _("“%(raw)s” quá nhỏ: số liệu chỉ lưu %(places)s chữ số sau dấu thập phân, nên sẽ thành 0. "
                  "Hãy đổi sang đơn vị nhỏ hơn, hoặc nhập 0 nếu đúng là 0.") % {"raw": shown, "places": STORED_PLACES})
        raise NumberUnreadable(
            _("“%(raw)s” có %(count)s chữ số sau dấu thập phân; số liệu chỉ lưu %(places)s, nên sẽ thành "
              "%(rounded)s. Hãy làm tròn trước khi nhập.")
            % {"raw": shown, "count": places, "places": STORED_PLACES, "rounded": editable_text(rounded)})
    if abs(value) >= Decimal(10) ** STORED_WHOLE_DIGITS:
        raise NumberUnreadable(_("“%(raw)s” quá lớn: số liệu chỉ lưu tối đa %(digits)s chữ số phần nguyên.")
                               % {"raw": shown, "digits": STORED_WHOLE_DIGITS})
    return value


def _plain(digits: str, shown: str) -> str:
    """The number with "." as decimal point and no grouping."""
    commas, dots = digits.count(","), digits.count(".")
    if commas and dots:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _sep, fraction = digits.rpartition(decimal_mark)
        if group_mark in fraction or not fraction:
            raise _garbled(shown)
        return _ungroup(whole, group_mark, shown) + "." + fraction
    mark, count = (",", commas) if commas else (".", dots)
    if count == 0:
        return _checked(digits, shown)
    if count > 1:
        return _ungroup(digits, mark, shown)
    whole, _sep, fraction = digits.partition(mark)
    if not whole or not fraction:
        raise _garbled(shown)
    if len(fraction) == 3 and whole.strip("0"):
        raise NumberUnreadable(
            _("“%(raw)s” vừa có thể là số nguyên %(whole)s vừa có thể là số thập phân; hãy viết “%(whole)s” "
              "nếu là số nguyên, hoặc “%(fraction)s” nếu là số thập phân.")
            % {"raw": shown, "whole": whole + fraction, "fraction": f"{whole},{fraction}0"})
    return _checked(f"{whole}.{fraction}", shown)


def _ungroup(whole: str, mark: str, shown: str) -> str:
    if mark not in whole:
        return _checked(whole, shown)
    if not _GROUPED.fullmatch(whole.replace(mark, "X")):
        raise _garbled(shown)
    return whole.replace(mark, "")


def _checked(plain: str, shown: str) -> str:
    try:
        Decimal(plain)
    except InvalidOperation:
        raise _garbled(shown) from None
    return plain


def _garbled(shown: str) -> NumberUnreadable:
    return NumberUnreadable(_("“%(raw)s” không đọc được thành số: dấu chấm, dấu phẩy đặt sai chỗ. "
                              "Ví dụ đúng: 68,2 hoặc 1.234,5.") % {"raw": shown})


def editable_text(value: Decimal) -> str:
    """A stored value as the input shows it, in a form `parse_number` reads back: no grouping, the active
    language's decimal mark, and never exactly three decimals (68.2000 → "68,2"; 1.125 → "1,1250")."""
    plain = format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize(), "f")
    whole, _sep, fraction = plain.partition(".")
    if not fraction:
        return whole
    if len(fraction) == 3:
        fraction += "0"
    return whole + get_format("DECIMAL_SEPARATOR") + fraction



# --- Bounds: "> 96", "≥ 96", "trên 96", "dưới 5" ------------------------------------------------------

_SIGNS = {">=": ">=", "=>": ">=", "≥": ">=", "<=": "<=", "=<": "<=", "≤": "<=", ">": ">", "<": "<", "=": ""}
# Words before the number, compared without diacritics or case ("tren 96" reads as "trên 96").
_WORDS_BEFORE = {
    "lon hon hoac bang": ">=", "toi thieu": ">=", "it nhat": ">=", "khong duoi": ">=", "khong it hon": ">=",
    "at least": ">=",
    "nho hon hoac bang": "<=", "toi da": "<=", "khong qua": "<=", "khong vuot qua": "<=", "khong tren": "<=",
    "khong hon": "<=", "at most": "<=", "no more than": "<=",
    "lon hon": ">", "nhieu hon": ">", "cao hon": ">", "tren": ">", "hon": ">", "more than": ">", "over": ">",
    "above": ">",
    "nho hon": "<", "it hon": "<", "thap hon": "<", "duoi": "<", "less than": "<", "under": "<", "below": "<",
}
# Words after the number: "từ 96 trở lên" (at least), "5 trở xuống" (at most); "từ" (from) goes with them.
_WORDS_AFTER = {"tro len": ">=", "tro xuong": "<=", "or more": ">=", "or less": "<=", "or above": ">=",
                "or below": "<="}
_FROM = ("tu", "from")
_SYMBOLS = {"": "", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def _plain_words(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Trên  96" → "tren 96". Digits and marks are kept."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _starts(text: str, phrase: str) -> bool:
    return text.startswith(phrase) and not text[len(phrase):][:1].isalpha()


def parse_figure(raw: str, *, percent: bool = False) -> tuple[str, Decimal]:
    """A number, or a bound and a number, as (bound, number): "96,5" → ("", 96.5); "> 96", "trên 96" →
    (">", 96); "≥ 96", "từ 96 trở lên" → (">=", 96); "dưới 5" → ("<", 5). A "%" after the number is
    read when the indicator counts in percent (`percent`). Bounds are those of ntm.core.engine.Figure."""
    text = _plain_words(raw)
    before = after = None
    for sign in sorted(_SIGNS, key=len, reverse=True):
        if text.startswith(sign):
            before, text = _SIGNS[sign], text[len(sign):].strip()
            break
    else:
        for phrase in sorted([*_WORDS_BEFORE, *_FROM], key=len, reverse=True):
            if _starts(text, phrase):
                before, text = _WORDS_BEFORE.get(phrase, "from"), text[len(phrase):].strip()
                break
    for phrase, bound in _WORDS_AFTER.items():
        if text.endswith(" " + phrase):
            after, text = bound, text[:-len(phrase)].strip()
            break
    if percent and text.endswith("%"):
        text = text[:-1].strip()
    if before == "from":  # "từ 96" says nothing on its own: "trở lên" or "trở xuống" decides
        before = after
    elif before is None:
        before = after or ""
    elif after not in (None, before):
        before = None  # "> 96 trở xuống": two bounds that disagree
    if before is None or not _numeric(text):
        if _EXPONENT.fullmatch(_SPACES.sub("", raw)):
            parse_number(raw)  # raises its own message: exponents are refused alike everywhere
        raise NumberUnreadable(
            _("“%(raw)s” không phải là số: hãy nhập một số (68,2), hoặc một số kèm giới hạn khi nguồn "
              "chỉ ghi giới hạn (> 96, ≥ 96, trên 96, dưới 5, từ 96 trở lên).") % {"raw": raw.strip()})
    return before, figure_value(text)


def _numeric(text: str) -> bool:
    return not any(ch.isalpha() or ch in "<>=≤≥%" for ch in text)


def bound_symbol(bound: str) -> str:
    """How a bound is shown: ">", "≥", "<", "≤" ("" for an exact value)."""
    return _SYMBOLS[bound]


def with_bound(bound: str, shown: str) -> str:
    """A value's text with its bound in front: (">", "96 %") → "> 96 %"."""
    return f"{_SYMBOLS[bound]} {shown}" if bound else shown
