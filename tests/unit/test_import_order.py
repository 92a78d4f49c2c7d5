"""Modules that render through the shell import cleanly on their own, whatever is imported first
(the dashboard once lived in the shell and imported the Pulse's pages back: a cycle)."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST_IMPORTS = (
    "xentri.pulse.views",
    "xentri.categories.strategy.views",
    "xentri.shell.views_workspace",
)


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_the_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
