"""Synthetic boundaries for tests: a small square per unit code laid out on a grid (no real data needed)."""

from __future__ import annotations

import json
from pathlib import Path


def square(x: float, y: float, size: float = 0.05) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def squares(codes: list[str], *, size: float = 0.05, origin: tuple[float, float] = (106.0, 10.5)) -> dict:
    """A FeatureCollection with one square per code, ten to a row, keyed by the property "code"."""
    features = []
    for i, code in enumerate(codes):
        x, y = origin[0] + (i % 10) * size, origin[1] + (i // 10) * size
        features.append({"type": "Feature", "properties": {"code": code}, "geometry": square(x, y, size)})
    return {"type": "FeatureCollection", "features": features}


def write(tmp_path: Path, data: dict | str, name: str = "boundaries.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path
