"""A small streaming .xlsx writer for the large workbooks we hand out (the figures template of a district or
province: hundreds of sheets, 200k cells). openpyxl styles and checks every cell as an object, which took
13.8 s for 345 communes; here a row is one string built from cached pieces, which takes well under a second.

Only what our templates use: shared strings, numbers, booleans, a fixed set of cell styles (font, fill,
border, wrap, text format), column widths, frozen panes, A4 print set-up fitted to the page width, print
title rows, hidden sheets. Every string is a shared string, so no cell is ever a formula; text that a
spreadsheet would start a formula with also gets Excel's quote prefix (see `ntm.workbooks.safe_cells`), as openpyxl's
output did. The result is read back by python-calamine, openpyxl, Excel and LibreOffice."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from ntm.workbooks.safe_cells import is_formula_like

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Characters XML 1.0 cannot carry (openpyxl refuses them); Excel's own escape `_xHHHH_` must not be read
# into typed text, so a literal one is escaped in turn.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


@dataclass(frozen=True, eq=False)
class Style:
    """A cell style: fonts "bold" / "title" (bold 14), a fill colour (RGB hex), a thin grey border,
    wrapped top-aligned text, the text number format ("@"). Compared by identity (a cheap hash per cell):
    define each style once, as a module constant."""

    font: str = ""
    fill: str = ""
    border: bool = False
    wrap: bool = False
    text: bool = False


PLAIN = Style()
_FONTS = {"": '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
          "bold": '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
          "title": '<font><b val="1"/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'}
_GREY = '<color rgb="FF808080"/>'
_BORDERS = ("<border><left/><right/><top/><bottom/><diagonal/></border>",
            f'<border><left style="thin">{_GREY}</left><right style="thin">{_GREY}</right><top style="thin">{_GREY}'
            f'</top><bottom style="thin">{_GREY}</bottom><diagonal/></border>')


class _Styles:
    """The workbook's cell formats, numbered as they are first used (0 is the default)."""

    def __init__(self):
        self.fills: list[str] = []
        self.xfs: dict[tuple[Style, bool], int] = {(PLAIN, False): 0}

    def index(self, style: Style, quote: bool = False) -> int:
        key = (style, quote)
        found = self.xfs.get(key)
        if found is None:
            if style.fill and style.fill not in self.fills:
                self.fills.append(style.fill)
            found = self.xfs[key] = len(self.xfs)
        return found

    def xml(self) -> str:
        fonts = list(_FONTS)
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
                 *(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/><bgColor indexed="64"/>'
                   f'</patternFill></fill>' for c in self.fills)]
        xfs = []
        for (style, quote), _n in sorted(self.xfs.items(), key=lambda item: item[1]):
            font, fill = fonts.index(style.font), (self.fills.index(style.fill) + 2) if style.fill else 0
            attrs = (f'numFmtId="{49 if style.text else 0}" fontId="{font}" fillId="{fill}" '
                     f'borderId="{int(style.border)}" xfId="0"')
            attrs += "".join((' applyNumberFormat="1"' if style.text else "", ' applyFont="1"' if font else "",
                              ' applyFill="1"' if fill else "", ' applyBorder="1"' if style.border else "",
                              ' quotePrefix="1"' if quote else ""))
            xfs.append(f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
                       if style.wrap else f"<xf {attrs}/>")
        return (f'{HEAD}<styleSheet xmlns="{MAIN}"><fonts count="{len(fonts)}">{"".join(_FONTS.values())}</fonts>'
                f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                f'<borders count="2">{"".join(_BORDERS)}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


def _column(n: int) -> str:
    """1 → "A", 27 → "AA"."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_COLUMNS = [_column(n) for n in range(1, 257)]


def clean(text: str) -> str:
    """Text as XML can hold it and Excel reads it back unchanged."""
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return _ILLEGAL.sub("", text)


@dataclass
class Sheet:
    title: str
    widths: Sequence[float] = ()
    freeze: str = ""  # the first cell that scrolls, e.g. "D5"
    landscape: bool = False
    title_row: int = 0  # printed at the top of every page
    hidden: bool = False

    def __post_init__(self):
        self.rows: list[str] = []
        self.last_row = 0
        self.last_column = 1


class Book:
    """Sheets of rows, written once at the end: `book.sheet(...)`, then `book.row(sheet, n, cells)`."""

    def __init__(self):
        self.sheets: list[Sheet] = []
        self.strings: dict[str, int] = {}
        self.styles = _Styles()

    def sheet(self, title: str, **options) -> Sheet:
        sheet = Sheet(title, **options)
        self.sheets.append(sheet)
        return sheet

    def string(self, text: str) -> int:
        found = self.strings.get(text)
        if found is None:
            found = self.strings[text] = len(self.strings)
        return found

    def row(self, sheet: Sheet, number: int, cells: Iterable[tuple[object, Style]]) -> None:
        """Row `number` (1-based, increasing): (value, style) per column from A; a None value with the plain
        style leaves the cell out."""
        parts = []
        col = 0
        for col, (value, style) in enumerate(cells, 1):
            parts.append(self._cell(f"{_COLUMNS[col - 1]}{number}", value, style))
        sheet.rows.append(f'<row r="{number}">{"".join(parts)}</row>')
        sheet.last_row = number
        sheet.last_column = max(sheet.last_column, col)

    def _cell(self, ref: str, value, style: Style) -> str:
        if value is None or value == "":
            return f'<c r="{ref}" s="{self.styles.index(style)}"/>' if style is not PLAIN else ""
        if isinstance(value, str):
            s = self.styles.index(style, is_formula_like(value))
            return f'<c r="{ref}" s="{s}" t="s"><v>{self.string(clean(value))}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{self.styles.index(style)}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float | Decimal):
            number = value if isinstance(value, int) else float(value)
            return f'<c r="{ref}" s="{self.styles.index(style)}"><v>{number!r}</v></c>'
        return self._cell(ref, str(value), style)

    # --- Saving -------------------------------------------------------------------------------------

    def save(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", self._content_types())
            z.writestr("_rels/.rels", f'{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                                      f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", self._workbook())
            z.writestr("xl/_rels/workbook.xml.rels", self._workbook_rels())
            for n, sheet in enumerate(self.sheets, 1):
                z.writestr(f"xl/worksheets/sheet{n}.xml", self._sheet(sheet, active=n == 1))
            z.writestr("xl/styles.xml", self.styles.xml())
            z.writestr("xl/sharedStrings.xml", self._shared_strings())
        return out.getvalue()

    def _content_types(self) -> str:
        sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sml}.worksheet+xml"/>'
                         for n in range(1, len(self.sheets) + 1))
        return (f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>{sheets}'
                f'<Override PartName="/xl/styles.xml" ContentType="{sml}.styles+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sml}.sharedStrings+xml"/></Types>')

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{escape(s.title, {chr(34): "&quot;"})}" sheetId="{n}"'
                         f'{" state=" + chr(34) + "hidden" + chr(34) if s.hidden else ""} r:id="rId{n}"/>'
                         for n, s in enumerate(self.sheets, 1))
        names = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
                        f"{escape(_quoted(s.title))}!${s.title_row}:${s.title_row}</definedName>"
                        for n, s in enumerate(self.sheets) if s.title_row)
        return (f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><bookViews><workbookView activeTab="0"/>'
                f'</bookViews><sheets>{sheets}</sheets>'
                f'{f"<definedNames>{names}</definedNames>" if names else ""}</workbook>')

    def _workbook_rels(self) -> str:
        n = len(self.sheets)
        rels = [f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
        return f'{HEAD}<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>'

    def _sheet(self, sheet: Sheet, *, active: bool) -> str:
        last = f"{_COLUMNS[sheet.last_column - 1]}{max(sheet.last_row, 1)}"
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if active else "") + ">"
        if sheet.freeze:
            column, row = _split(sheet.freeze)
            split = (f' xSplit="{column - 1}"' if column > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
            pane = "bottomRight" if column > 1 and row > 1 else "bottomLeft" if row > 1 else "topRight"
            view += (f'<pane{split} topLeftCell="{sheet.freeze}" activePane="{pane}" state="frozen"/>'
                     f'<selection pane="{pane}" activeCell="{sheet.freeze}" sqref="{sheet.freeze}"/>')
        view += "</sheetView>"
        cols = "".join(f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>'
                       for n, w in enumerate(sheet.widths, 1))
        return (f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                f'<dimension ref="A1:{last}"/><sheetViews>{view}</sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}'
                f'<sheetData>{"".join(sheet.rows)}</sheetData>'
                '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                f'<pageSetup paperSize="9" orientation="{"landscape" if sheet.landscape else "portrait"}" '
                'fitToWidth="1" fitToHeight="0"/></worksheet>')

    def _shared_strings(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in self.strings)
        return (f'{HEAD}<sst xmlns="{MAIN}" count="{len(self.strings)}" uniqueCount="{len(self.strings)}">'
                f"{items}</sst>")


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _split(ref: str) -> tuple[int, int]:
    """"D5" → (4, 5)."""
    letters = ref.rstrip("0123456789")
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return column, int(ref[len(letters):])
