"""The text an office starts a new version from: the version in force of a set or layer (published in
the database, else the repository's file)."""

from __future__ import annotations

from ntm.catalog_source import common_text, effective_texts, version_key

__all__ = ["base_text", "common_text", "version_key"]


def base_text(set_id: str) -> tuple[str, str]:
    """(file name, YAML text) of the version in force of a set or layer. Raises KeyError if unknown."""
    return effective_texts()[0][set_id]
