"""`xentri events …` against the test run's servers, in a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from tests.support.events import thing
from xentri.kernel.events.dlq import dead_letter

pytestmark = pytest.mark.integration


def xentri(args: list[str], servers, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XENTRI_")}
    env.update(
        XENTRI_HOME=str(tmp_path),
        XENTRI_SECRET_KEY="cli-test",
        XENTRI_DATABASE_URL=servers.owner_url,
        XENTRI_DATABASE_APP_URL=servers.app_url,
        XENTRI_DATABASE_APP_ROLE=servers.app_role,
        XENTRI_DATABASE_SYSTEM_URL=servers.system_url,
        XENTRI_DATABASE_SYSTEM_ROLE=servers.system_role,
        XENTRI_REDIS_URL=servers.redis_url,
        COLUMNS="400",
    )
    return subprocess.run(
        [sys.executable, "-m", "xentri.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_dead_letters_are_listed_and_replayed_from_the_cli(
    servers, tmp_path, app_engine, redis_client
):
    org = uuid.uuid4()
    letter_id = await dead_letter(
        engine=app_engine,
        redis=redis_client,
        consumer="cli-test-consumer",
        event=thing(org, "stuck"),
        error="KeyError: 'customer'",
        attempts=3,
        stream_id=None,
        depth_threshold=10_000,
    )

    listed = xentri(["events", "dlq", "list"], servers, tmp_path)
    replayed = xentri(["events", "dlq", "replay", str(letter_id)], servers, tmp_path)
    listed_after = xentri(["events", "dlq", "list", "--all"], servers, tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert str(letter_id) in listed.stdout
    assert "cli-test-consumer" in listed.stdout
    assert replayed.returncode == 0, replayed.stderr
    assert "Replayed 1 dead letter(s)." in replayed.stdout
    row = next(line for line in listed_after.stdout.splitlines() if str(letter_id) in line)
    assert "replayed" in row


def test_stats_and_bad_arguments(servers, tmp_path):
    stats = xentri(["events", "stats"], servers, tmp_path)
    bad_id = xentri(["events", "dlq", "replay", "not-a-uuid"], servers, tmp_path)
    naive = xentri(
        ["events", "replay", "--from", "2026-01-01", "--consumer", "x"], servers, tmp_path
    )

    assert stats.returncode == 0, stats.stderr
    assert "events:dlq" in stats.stdout
    assert bad_id.returncode == 2
    assert "not a dead letter id" in bad_id.stderr
    assert naive.returncode == 2
    assert "needs a time zone" in naive.stderr
    assert "Traceback" not in bad_id.stderr + naive.stderr
