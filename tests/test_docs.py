"""The README and the chapters in docs/: short, linked correctly, and telling the truth about CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ROOT / "README.md",
    ROOT / "CONTRIBUTING.md",
    ROOT / "bench" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
CHAPTERS = (
    "crawling",
    "operations",
    "settings",
    "reading",
    "schema",
    "architecture",
    "performance",
)
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown file's headings."""
    text = CODE_BLOCK.sub("", path.read_text(encoding="utf-8"))
    found = set()
    for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def local_links(path: Path) -> list[str]:
    text = CODE_BLOCK.sub("", path.read_text(encoding="utf-8"))
    return [link for link in LINK.findall(text) if not link.startswith(("http://", "https://"))]


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8")) < 8000


def test_every_chapter_exists():
    for name in CHAPTERS:
        assert (ROOT / "docs" / f"{name}.md").is_file(), name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in CHAPTERS:
        assert f"(docs/{name}.md)" in readme, f"the README links docs/{name}.md"


def test_every_local_link_and_anchor_resolves():
    broken = []
    for doc in DOCS:
        for link in local_links(doc):
            target, _, anchor = link.partition("#")
            path = (doc.parent / target).resolve() if target else doc
            if not path.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {link}")
            elif anchor and path.suffix == ".md" and anchor not in anchors(path):
                broken.append(f"{doc.relative_to(ROOT)}: {link} (no such heading)")
    assert broken == []


def test_the_readmes_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"# run the test suite\n(.+)\n", readme)
    assert command is not None
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command.group(1).strip() in ci


def test_the_link_checker_sees_a_broken_anchor(tmp_path):
    """The check is real: a link to a heading that does not exist is found."""
    (tmp_path / "a.md").write_text("# Title\n\n## Exit codes\n", encoding="utf-8")
    assert "exit-codes" in anchors(tmp_path / "a.md")
    assert "exit-code" not in anchors(tmp_path / "a.md")
