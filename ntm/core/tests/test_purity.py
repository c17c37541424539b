"""`ntm.core` is plain Python: no module under it imports Django, so it can be tested and reused alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1]
SOURCES = sorted(CORE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_scan_sees_the_core_modules():
    assert {"catalog.py", "loader.py", "engine.py", "gaps.py"} <= {p.name for p in SOURCES}


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(CORE)) for p in SOURCES])
def test_no_core_module_imports_django(path):
    offending = {m for m in imported_modules(path) if m == "django" or m.startswith("django.")}
    assert not offending, f"{path.relative_to(CORE)} imports {sorted(offending)}"
