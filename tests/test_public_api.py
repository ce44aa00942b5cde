"""Every engine module declares its public names, and each of them exists."""

from __future__ import annotations

import importlib
import pkgutil

import briefs


def _engine_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(briefs.__path__, prefix="briefs.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    )


def test_every_public_engine_module_declares_all() -> None:
    missing = [
        name for name in _engine_modules() if not hasattr(importlib.import_module(name), "__all__")
    ]
    assert missing == []


def test_every_name_in_all_exists() -> None:
    broken = {
        name: [n for n in module.__all__ if not hasattr(module, n)]
        for name in _engine_modules()
        if hasattr(module := importlib.import_module(name), "__all__")
    }
    assert {k: v for k, v in broken.items() if v} == {}
