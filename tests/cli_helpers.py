"""What the CLI tests share: one way to run a command and see it never crashed."""

from __future__ import annotations

from click.testing import CliRunner, Result

from bot.cli import main

__all__ = ["invoke"]


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    """Run ``briefbot ARGS`` (exceptions propagate: a crash fails the test, not its output)."""
    result = runner.invoke(main, list(args), input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result
