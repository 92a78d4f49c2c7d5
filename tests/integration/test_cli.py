"""The `xentri` command: configuration output and one-line errors for expected failures."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

XENTRI = [sys.executable, "-m", "xentri.cli"]


def run(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("XENTRI_")}
    return subprocess.run(
        [*XENTRI, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    message = " ".join(lines)
    assert message.startswith("xentri:")
    assert fragment in message
    assert len(lines) == 1


def test_config_prints_effective_settings_with_secrets_masked(tmp_path: Path) -> None:
    result = run(
        ["config"],
        {
            "XENTRI_HOME": str(tmp_path),
            "XENTRI_DATABASE_URL": "postgresql://owner:pa55word@db:5432/xentri",
            "XENTRI_PORT": "8111",
        },
    )

    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["port"] == 8111
    assert config["database_url"] == "postgresql://owner:********@db:5432/xentri"
    assert config["secret_key"] == "********"
    assert "pa55word" not in result.stdout


def test_serve_on_a_busy_port_fails_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["serve"], {"XENTRI_HOME": str(tmp_path), "XENTRI_PORT": str(port)})

    assert_one_line_error(result, f"port {port}")


def test_serve_with_unwritable_home_fails_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")

    result = run(["serve", "--port", "0"], {"XENTRI_HOME": str(blocker / "home")})

    assert_one_line_error(result, "is not writable")


def test_unreachable_database_fails_in_one_line(tmp_path: Path) -> None:
    result = run(
        ["migrate"],
        {
            "XENTRI_HOME": str(tmp_path),
            "XENTRI_DATABASE_URL": "postgresql://owner:secretpw@127.0.0.1:1/xentri",
        },
    )

    assert_one_line_error(
        result, "cannot reach PostgreSQL at postgresql://owner:********@127.0.0.1:1/xentri"
    )
    assert "secretpw" not in result.stderr


def test_invalid_setting_fails_in_one_line(tmp_path: Path) -> None:
    result = run(["config"], {"XENTRI_HOME": str(tmp_path), "XENTRI_PORT": "eighty"})

    assert_one_line_error(result, "XENTRI_PORT")
