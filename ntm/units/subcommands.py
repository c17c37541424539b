"""Subcommands that apps above units add to `ntm units` (the maps app: `boundaries`), registered in their
`AppConfig.ready`, so that the command offers them without importing those apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subcommand:
    add_parser: Callable[[Any], None]  # adds its parser to the subparsers of `ntm units`
    run: Callable[[dict, Any], None]  # (the parsed options, with "lang"; the command's stdout)


REGISTERED: dict[str, Subcommand] = {}


def register(name: str, *, add_parser: Callable[[Any], None], run: Callable[[dict, Any], None]) -> None:
    REGISTERED[name] = Subcommand(add_parser, run)
