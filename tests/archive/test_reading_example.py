"""The Python example of docs/reading.md runs, as printed, on an archive."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.support.corpus import build_corpus

ROOT = Path(__file__).resolve().parents[2]
PANDAS_LINE = "df = table.to_pandas()"


def example() -> str:
    text = (ROOT / "docs" / "reading.md").read_text(encoding="utf-8")
    found = re.search(r"^## From Python\n.*?^```python\n(.*?)^```", text, re.S | re.M)
    assert found, "docs/reading.md has a Python example"
    return found.group(1)


def test_the_example_says_what_to_install_for_pandas():
    code = example()
    assert PANDAS_LINE in code
    comment = code[: code.index(PANDAS_LINE)].rsplit("#", 1)[1]
    assert "pandas" in comment and "newsarchive[parquet]" in comment


def test_the_python_example_runs(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    build_corpus(f"sqlite:///{tmp_path / 'archive.db'}")
    monkeypatch.chdir(tmp_path)
    code = example()
    if importlib.util.find_spec("pandas") is None:
        # pandas is the reader's, not a dependency: everything up to it runs here.
        code = code.replace(PANDAS_LINE, "df = table  # pandas is not installed here")
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/reading.md", "exec"), namespace)
    assert (tmp_path / "articles.parquet").is_file()
    assert namespace["table"].num_rows > 0  # type: ignore[attr-defined]
