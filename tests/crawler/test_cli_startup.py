"""Commands that read the archive start without the crawler: only the chosen command's
module is imported, and ``search``, ``show``, ``stats``, ``export`` and ``health`` load
neither Scrapy nor Twisted nor the extraction engine, whatever they are asked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from archive.engine import create_archive_engine, upgrade_archive

ROOT = Path(__file__).resolve().parents[2]
CRAWLER_STACK = ("scrapy", "twisted", "trafilatura", "pipelines")

# Run the command in a fresh interpreter, then list which top-level packages it loaded.
PROBE = """
import json, sys
from crawler.cli import main
args = [arg for arg in sys.argv[1:] if arg != "--modules"]
try:
    code = main(args)
except SystemExit as exit:
    code = exit.code
if "--modules" in sys.argv:  # every module, not only the top-level packages
    loaded = sorted(sys.modules)
else:
    loaded = sorted({name.partition(".")[0] for name in sys.modules})
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""
# What a reading command never needs on SQLite: the ORM and the models (the read API
# reads through archive/tables.py), PostgreSQL's dialect, Alembic, and the public suffix
# list (tldextract: URL identity, for `show URL` only), not even to report an error.
READ_HEAVY = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.postgresql",
    "archive.models",
    "alembic",
    "tldextract",
)


def loaded_by(args: list[str]) -> tuple[int, set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], set(report["loaded"])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("startup") / "archive.db"
    engine = create_archive_engine(f"sqlite:///{path}")
    upgrade_archive(engine)
    engine.dispose()
    return str(path)


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["search", "election", "--since", "2020-01-01"],
        ["show", "1"],
        ["health"],
        ["export", "--format", "jsonl", "--output", "{tmp}/out.jsonl", "--since", "2020-01-01"],
        ["search", "--help"],
    ],
    ids=" ".join,
)
def test_reading_commands_never_load_the_crawler(command, db, tmp_path):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    code, loaded = loaded_by([*args, "--db", db])
    assert code in (0, 1), f"{args} exited {code}"
    assert "sqlalchemy" in loaded or "--help" in args  # the probe saw the command run
    assert loaded.isdisjoint(CRAWLER_STACK), sorted(loaded & set(CRAWLER_STACK))


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["search", "election"],
        ["show", "1"],
        ["health"],
        ["export", "--format", "jsonl", "--output", "{tmp}/out.jsonl"],
    ],
    ids=" ".join,
)
def test_reading_commands_load_neither_the_orm_nor_postgresql(command, db, tmp_path):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    code, loaded = loaded_by([*args, "--db", db, "--modules"])
    assert code in (0, 1), f"{command} exited {code}"
    assert "sqlalchemy.sql" in loaded  # the probe saw the command run
    assert not {m for m in loaded if m.startswith(READ_HEAVY)}, sorted(
        m for m in loaded if m.startswith(READ_HEAVY)
    )


def test_help_lists_every_command_and_imports_none(db):
    code, loaded = loaded_by(["--help"])
    assert code == 0
    assert loaded.isdisjoint({"sqlalchemy", "archive", *CRAWLER_STACK})


def test_the_chosen_command_is_found_before_parsing():
    from crawler.cli import chosen_command

    assert chosen_command(["stats"]) == "stats"
    assert chosen_command(["--db", "search", "show", "1"]) == "show"
    assert chosen_command(["--db=x.db", "--debug", "export", "-o", "f"]) == "export"
    assert chosen_command(["--help"]) is None
    assert chosen_command(["stat"]) is None


def test_every_command_registers_its_summary():
    """--help shows a command's summary without importing it: the summary the command's
    own parser registers is the same, taken from the one table."""
    from crawler.cli import COMMANDS, build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert helps == COMMANDS
