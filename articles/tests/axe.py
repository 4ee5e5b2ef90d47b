"""axe-core (Deque's accessibility engine, from npm) run inside the browser tests' pages.

``bin/setup`` installs the pinned ``axe-core`` into ``.cache/axe`` with npm; a run
without it skips the accessibility tests, except under CI, where it fails.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

SETUP = Path(settings.BASE_DIR) / "bin" / "setup"
AXE_VERSION = re.search(r"^AXE_CORE_VERSION=(\S+)$", SETUP.read_text(), re.MULTILINE).group(1)
"""The version bin/setup pins and installs: it is the one place that names it."""

AXE_JS = Path(settings.BASE_DIR) / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.2 A and AA plus axe's best practices (landmarks, one h1, headings in order).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


def axe_script():
    """The path of the pinned ``axe.min.js``; skips (fails under CI) when it is missing or stale."""
    found = AXE_JS.is_file() and AXE_JS.read_text()[:200].startswith(f"/*! axe v{AXE_VERSION}")
    if found:
        return AXE_JS
    problem = f"axe-core {AXE_VERSION} is not installed at {AXE_JS} (run bin/setup; needs npm)"
    if os.environ.get("CI"):
        pytest.fail(problem)
    pytest.skip(problem)


def violations(page, script):
    """axe-core's violations on ``page`` as it stands, one readable line per failing node."""
    page.add_script_tag(path=script)
    result = page.evaluate("(options) => axe.run(document, options)", RUN_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]
