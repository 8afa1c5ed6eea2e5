"""``newsdesk serve``: options, and contradictory settings refused before anything loads."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from service.cli.app import app


def test_serve_help_lists_host_and_port() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_protect_reads_without_keys_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_PROTECT_READS", "true")
    monkeypatch.setenv("NEWSDESK_API_KEYS", "")
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert "NEWSDESK_API_KEYS" in result.output
