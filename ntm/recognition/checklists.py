"""The dossier checklist, kept as data in `checklists.yaml` (provisional until the official list is known)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

from ntm.core.recognition import RequiredDocument, Step

CHECKLIST_FILE = Path(__file__).with_name("checklists.yaml")


def load_checklist(path: Path) -> tuple[RequiredDocument, ...]:
    """Every document kind in the file; every problem is listed before failing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = data.get("source", "provisional")
    out, problems, seen = [], [], set()
    for n, item in enumerate(data.get("documents") or [], start=1):
        missing = [k for k in ("code", "step", "name_vi", "name_en") if not item.get(k)]
        if missing:
            problems.append(f"{path.name}: tài liệu thứ {n}: thiếu {', '.join(missing)}")
            continue
        if item["step"] not in {s.value for s in Step} or item["step"] in ("drafting", "returned"):
            problems.append(f"{path.name}: {item['code']}: bước “{item['step']}” không hợp lệ")
            continue
        if item["code"] in seen:
            problems.append(f"{path.name}: {item['code']}: trùng mã")
        seen.add(item["code"])
        out.append(RequiredDocument(item["code"], Step(item["step"]), item["name_vi"], item["name_en"],
                                    required=item.get("required", True), source=item.get("source", source)))
    if problems:
        raise ImproperlyConfigured("\n".join(problems))
    return tuple(out)


@cache
def checklist() -> tuple[RequiredDocument, ...]:
    return load_checklist(CHECKLIST_FILE)


def kinds() -> dict[str, RequiredDocument]:
    return {d.code: d for d in checklist()}
