"""Imports between the project's apps go one way only: an app may use the apps below it, never one above.
A lower app that must let the ones above react announces it (a signal: `ntm.figures.signals.figures_changed`,
`ntm.units.signals.classified`) and they connect in their `AppConfig.ready`; one that shows or checks what
an app above knows asks a callable that app registers there (`ntm.figures.locks.read_locks_from`,
`ntm.units.subcommands.register`). A helper several apps share lives below all of them (`ntm.workbooks`,
`ntm.bulk_insert`, `ntm.catalog_source`); a page built on two apps lives in an app above both (`ntm.entry`).

The imports of every module of every app under ntm/ are read with `ast`, including imports inside
functions (a late import is still a dependency); tests and migrations are left out. The graph between apps
must have no cycle: the test fails on any, naming its apps and the modules that import."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

NTM = Path(__file__).resolve().parent.parent / "ntm"

SKIPPED_PARTS = {"tests", "migrations"}


def apps() -> list[str]:
    return sorted(p.name for p in NTM.iterdir() if (p / "__init__.py").exists())


def imports() -> dict[str, dict[str, list[str]]]:
    """app → imported app → the modules (path:line) that import it."""
    names = set(apps())
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in names:
        for path in sorted((NTM / app).rglob("*.py")):
            if SKIPPED_PARTS & set(path.relative_to(NTM).parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                for module in modules:
                    parts = module.split(".")
                    if parts[0] == "ntm" and len(parts) > 1 and parts[1] in names and parts[1] != app:
                        out[app][parts[1]].append(f"{path.relative_to(NTM.parent)}:{node.lineno}")
    return out


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A shortest cycle from `start` back to it (breadth first), or None."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return None


def cycles(found: dict[str, dict[str, list[str]]]) -> list[str]:
    """Each cycle once: its apps in order, and for each step the first modules that import."""
    graph = {app: set(targets) for app, targets in found.items()}
    problems = []
    seen: set[frozenset[str]] = set()
    for app in sorted(graph):
        cycle = cycle_through(graph, app)
        if cycle and frozenset(cycle) not in seen:
            seen.add(frozenset(cycle))
            steps = zip(cycle, cycle[1:], strict=False)
            where = "; ".join(f"{a} → {b} ({', '.join(found[a][b][:3])})" for a, b in steps)
            problems.append(f"cycle {' → '.join(cycle)}: {where}")
    return problems


def test_imports_between_apps_form_no_cycle():
    problems = cycles(imports())
    assert not problems, "imports between apps must go one way:\n" + "\n".join(problems)


def test_a_cycle_is_reported_with_its_apps_and_importing_modules():
    found = {
        "figures": {"units": ["ntm/figures/models.py:3"], "evaluation": ["ntm/figures/views.py:28"]},
        "evaluation": {"figures": ["ntm/evaluation/selectors.py:24"]},
        "units": {},
    }
    assert cycles(found) == [
        "cycle evaluation → figures → evaluation: evaluation → figures (ntm/evaluation/selectors.py:24); "
        "figures → evaluation (ntm/figures/views.py:28)",
    ]
    assert cycles({"figures": {"units": ["ntm/figures/models.py:3"]}, "units": {}}) == []


def test_the_figures_app_announces_and_does_not_call_evaluation_or_alerts():
    """Recording a figure announces `figures_changed`; it does not refresh results or write alerts itself."""
    called = set()
    for path in (NTM / "figures").rglob("*.py"):
        if SKIPPED_PARTS & set(path.relative_to(NTM).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                called.add(node.module)
            elif isinstance(node, ast.Import):
                called.update(alias.name for alias in node.names)
    assert not {m for m in called if m.startswith(("ntm.alerts", "ntm.evaluation.actions", "ntm.evaluation.jobs"))}
