"""The layer rules of docs/architecture.md hold: import-linter's contracts in pyproject.toml,
run by CI (.ci/run) before the suite, with the linters."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def test_the_layers_the_architecture_names_have_contracts():
    forbidden = {
        source: set(contract["forbidden_modules"])
        for contract in _contracts()
        for source in contract["source_modules"]
    }
    assert {"crawler", "pipelines", "scrapy", "twisted"} <= forbidden["archive"]
    assert {"scrapy", "sqlalchemy"} <= forbidden["pipelines.extraction"]
    assert {"crawler", "pipelines", "scrapy", "twisted"} <= forbidden["web"]
    assert {"pipelines", "archive", "web"} <= forbidden["crawler"]


def test_ci_lints_and_checks_the_layers_before_the_suite():
    steps = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.startswith(".venv/bin/") or "pytest" in line
    ]
    suite = next(i for i, step in enumerate(steps) if "python -m pytest" in step)
    for tool in ("ruff check .", "ruff format --check .", "mypy", "lint-imports"):
        assert any(step.startswith(f".venv/bin/{tool}") for step in steps[:suite]), tool
