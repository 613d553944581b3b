"""The suite's own layout: shared helpers live in tests/support/, test modules never
import each other, and bench/ imports the project and tests/support only, without
editing sys.path (each script runs as ``python -m bench.NAME``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_test_modules_import_only_tests_support():
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "tests").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("tests.") and not module.startswith("tests.support.")
    }
    assert not wrong, "import shared helpers from tests/support/:\n" + "\n".join(sorted(wrong))


def test_bench_imports_the_project_and_tests_support_and_edits_no_sys_path():
    wrong = set()
    for path in (ROOT / "bench").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "sys.path" in source:
            wrong.add(f"{path.name}: edits sys.path")
        wrong.update(
            f"{path.name}: {module}"
            for module in imported_modules(path)
            if module.startswith("tests.") and not module.startswith("tests.support.")
        )
    assert not wrong, "\n".join(sorted(wrong))


def _marked_slow(decorators: list[ast.expr]) -> bool:
    return any("slow" in ast.unparse(d) for d in decorators)


def _starts_a_crawl(function: ast.FunctionDef) -> bool:
    """Whether the test runs ``newsarchive crawl`` or ``import`` through ``run_cli``, or
    a hostile crawl through ``run_crawl``, itself."""
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id == "run_crawl":
            return True
        first = node.args[0] if node.args else None
        if (
            node.func.id == "run_cli"
            and isinstance(first, ast.Constant)
            and first.value in ("crawl", "import")
        ):
            return True
    return False


def test_every_test_that_crawls_in_a_subprocess_is_marked_slow():
    unmarked = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_slow = any(
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
            and "slow" in ast.unparse(node.value)
            for node in tree.body
        )
        unmarked += [
            f"{path.relative_to(ROOT)}::{node.name}"
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test")
            and not module_slow
            and not _marked_slow(node.decorator_list)
            and _starts_a_crawl(node)
        ]
    assert not unmarked, "mark these @pytest.mark.slow:\n" + "\n".join(sorted(unmarked))
