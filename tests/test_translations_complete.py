"""English is complete: every interface string has an English translation. Each catalog (ntm/locale and every
app's locale/en) has a non-empty, non-fuzzy msgstr for every msgid, and `makemessages` run over a copy of the
sources finds no string that no catalog translates (Django looks a string up in every catalog)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NTM = Path(__file__).resolve().parents[1] / "ntm"
CATALOGS = sorted(NTM.glob("locale/en/LC_MESSAGES/django.po")) + sorted(NTM.glob("*/locale/en/LC_MESSAGES/django.po"))
SKIPPED_DIRS = ("locale", "tests", "static", "__pycache__", "migrations", "data", "catalog")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    context: str = ""
    strings: list[str] = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1], …
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.msgid


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (not the header, not obsolete `#~` ones), strings kept escaped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: str | None = None
    flags_pending = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,"):
            flags_pending = "fuzzy" in line
        if not line or line.startswith("#"):
            target = None if not line else target
            continue
        keyword, _sep, rest = line.partition(" ")
        if line.startswith('"'):
            _append(current, target, line)
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.strings):
            current = Entry(number, fuzzy=flags_pending)
            flags_pending = False
            entries.append(current)
        if keyword == "msgctxt":
            target, current.context = "context", _unquote(rest)
        elif keyword == "msgid":
            target, current.msgid = "msgid", _unquote(rest)
        elif keyword == "msgid_plural":
            target = "plural"
        elif keyword.startswith("msgstr"):
            target = "msgstr"
            current.strings.append(_unquote(rest))
    return [e for e in entries if e.msgid]


def _unquote(text: str) -> str:
    return text.strip()[1:-1]


def _append(entry: Entry | None, target: str | None, line: str) -> None:
    if entry is None or target is None:
        return
    if target == "msgid":
        entry.msgid += _unquote(line)
    elif target == "context":
        entry.context += _unquote(line)
    elif target == "msgstr":
        entry.strings[-1] += _unquote(line)


def _where(path: Path) -> str:
    return str(path.relative_to(NTM.parent))


def test_every_catalog_translates_every_string_without_guesses():
    assert len(CATALOGS) >= 5, CATALOGS
    problems = []
    for path in CATALOGS:
        for e in read_po(path):
            if e.fuzzy:
                problems.append(f"{_where(path)}:{e.line} fuzzy: {e.msgid[:80]}")
            elif not e.strings or not all(e.strings):
                problems.append(f"{_where(path)}:{e.line} untranslated: {e.msgid[:80]}")
    assert not problems, "English catalogs are incomplete:\n" + "\n".join(problems)


def _copy_sources(into: Path) -> Path:
    root = into / "ntm"
    shutil.copytree(NTM, root, ignore=shutil.ignore_patterns(*SKIPPED_DIRS, "*.pyc", "*.mo", "*.po"))
    (root / "locale").mkdir()
    return root


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools (Debian package gettext) missing")
def test_makemessages_finds_no_string_missing_from_the_catalogs(tmp_path):
    root = _copy_sources(tmp_path)
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run([str(django_admin), "makemessages", "-l", "en", "--no-location"], cwd=root, check=True,
                   capture_output=True, env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""})
    found = read_po(root / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(found) > 500, "makemessages found too few strings: is the copy complete?"
    translated = {e.key for path in CATALOGS for e in read_po(path) if e.strings and all(e.strings) and not e.fuzzy}
    missing = sorted({e.msgid[:100] for e in found if e.key not in translated})
    assert not missing, (f"{len(missing)} interface strings have no English translation in any catalog "
                         "(run makemessages in their app, or add them to ntm/locale):\n" + "\n".join(missing))
