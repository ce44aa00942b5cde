"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ``../shared``; the calling test skips when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent on this machine)")
    return path


@pytest.fixture
def interview_path() -> Path:
    """The real, messy interview transcript from ``../shared/corpus``."""
    return shared_path("corpus", "interview-brockman-bigtech-2026.txt")


@pytest.fixture
def qmsum_dir() -> Path:
    """The QMSum meetings (train and val folders) from ``../shared/eval``."""
    return shared_path("eval", "qmsum")


@pytest.fixture
def write_folder(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Writes ``{file name: text}`` into ``tmp_path / "in"`` and returns that folder."""

    def write(files: dict[str, str]) -> Path:
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return write
