"""The command line's error funnel, its option types and the -s checks, in process."""

from __future__ import annotations

import argparse
import sqlite3

import pytest

from archive.engine import NoArchive
from crawler.cli import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, main, parse_args
from crawler.cli.errors import CommandError, UsageError, run_command
from crawler.cli.options import days, whole_number
from crawler.cli.overrides import check_override, known_types
from crawler.cli.stats import activity_headers, plural
from crawler.frontier.connection import FrontierError, FrontierInputError
from crawler.sites import SitesError


def command(run, *extra: str) -> argparse.Namespace:
    args = parse_args(["stats", *extra])
    args.run = run
    return args


def raising(exc: BaseException):
    def run(args):
        raise exc

    return run


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (UsageError("--limit must be at least 1"), EXIT_USAGE),
        (CommandError("no article 7 in the archive"), EXIT_FAILED),
        (NoArchive("no archive at a.db"), EXIT_USAGE),
        (SitesError("sites.toml: no [[site]] tables"), EXIT_USAGE),
        (FrontierInputError("bad Redis URL 'x'"), EXIT_USAGE),
        (FrontierError("cannot reach Redis at redis://127.0.0.1:1"), EXIT_FAILED),
        (OSError(28, "No space left on device", "out.jsonl"), EXIT_FAILED),
        (argparse.ArgumentTypeError("x.warc: no such file"), EXIT_USAGE),
    ],
)
def test_expected_errors_are_one_line_and_their_exit_code(exc, code, capsys):
    assert run_command(command(raising(exc))) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("newsarchive stats: ")


def test_debug_adds_the_traceback(capsys):
    code = run_command(command(raising(UsageError("bad")), "--debug"))
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "Traceback" in err and err.endswith("newsarchive stats: bad\n")


def test_an_unexpected_error_is_a_bug_with_its_traceback_and_a_request_to_report(capsys):
    assert run_command(command(raising(ZeroDivisionError("division by zero")))) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "unexpected ZeroDivisionError: division by zero" in err
    assert "This is a bug in newsarchive" in err and "please report it" in err


def test_ctrl_c_is_exit_130_without_a_traceback(capsys):
    assert run_command(command(raising(KeyboardInterrupt()))) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "newsarchive stats: interrupted\n"


def test_a_closed_standard_output_is_refused_before_the_command_runs(capsys, monkeypatch):
    ran = []
    monkeypatch.setattr("sys.stdout", None)  # what Python makes of `newsarchive stats >&-`
    assert run_command(command(ran.append)) == EXIT_USAGE
    assert not ran
    assert capsys.readouterr().err == (
        "newsarchive stats: standard output is closed: redirect it (> FILE, or > /dev/null "
        "to discard it)\n"
    )


def test_a_multi_line_message_is_made_one_line(capsys):
    assert run_command(command(raising(UsageError("first\n  second")))) == EXIT_USAGE
    assert capsys.readouterr().err == "newsarchive stats: first second\n"


def test_global_options_go_before_or_after_the_command():
    assert parse_args(["--db", "a.db", "stats"]).db == "a.db"
    assert parse_args(["stats", "--db", "a.db"]).db == "a.db"
    assert parse_args(["db", "--db", "a.db", "current"]).db == "a.db"
    assert parse_args(["db", "current", "--db", "a.db"]).db == "a.db"
    assert parse_args(["--debug", "stats"]).debug is True
    assert parse_args(["stats", "--debug"]).debug is True
    assert parse_args(["stats"]).db is None


def test_an_unknown_option_shows_its_commands_usage(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["search", "x", "--limt", "3"])
    assert stopped.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("usage: newsarchive search")
    assert err.splitlines()[-1] == (
        "newsarchive search: error: unrecognized arguments: --limt 3 (did you mean --limit?)"
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("newsarchive ")


def test_whole_numbers_say_what_is_wrong():
    parse = whole_number(1, "leave it out")
    assert parse("4") == 4
    with pytest.raises(argparse.ArgumentTypeError, match=r"^must be at least 1, not -3 \(leave"):
        parse("-3")
    with pytest.raises(argparse.ArgumentTypeError, match=r"^'x' is not a whole number$"):
        parse("x")
    with pytest.raises(
        argparse.ArgumentTypeError, match=r"^must be at most 9,223,372,036,854,775,807"
    ):
        parse(str(2**63))  # past the database's integers: refused here, not an overflow there
    assert whole_number(1, maximum=5)("5") == 5
    with pytest.raises(argparse.ArgumentTypeError, match=r"^must be at most 5, not 6$"):
        whole_number(1, maximum=5)("6")


def test_days_take_inf_but_not_nan_or_negatives():
    assert days("inf") == float("inf") and days("0") == 0
    for bad in ("nan", "-1", "soon"):
        with pytest.raises(argparse.ArgumentTypeError):
            days(bad)


# --- -s NAME=VALUE ----------------------------------------------------------------------


def test_names_and_types_come_from_the_settings_modules():
    types = known_types()
    assert types["DOWNLOAD_DELAY"] is float  # ours (crawler.settings) over Scrapy's int
    assert types["ROBOTSTXT_OBEY"] is bool
    assert types["EXTRACT_WORKERS"] is int
    assert "AUTOTHROTTLE_ENABLED" in types  # Scrapy's own


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DOWNLAOD_DELAY", "1", r"no such setting \(did you mean DOWNLOAD_DELAY\?\)"),
        ("DOWNLOAD_DELAY", "fast", "must be a number"),
        ("DOWNLOAD_DELAY", "-1", "must be 0 or more"),
        ("DOWNLOAD_TIMEOUT", "nan", "must be a number"),
        ("CONCURRENT_REQUESTS", "2.5", "must be a whole number"),
        ("EXTRACT_WORKERS", "-3", "must be 0 or more"),
        ("EXTRACT_WORKERS", "100000", "must be at most"),  # not 100,000 processes forked
        ("ROBOTSTXT_OBEY", "maybe", "must be true or false"),
        ("NETGUARD_ALLOWED_HOSTS", "[intranet", "not valid JSON"),
        ("DOWNLOAD_SLOTS", "[]", "must be a JSON object"),
        ("DOWNLOAD_SLOTS", [], "must be a JSON object"),
    ],
)
def test_a_bad_override_is_refused(name, value, message):
    with pytest.raises(UsageError, match=message):
        check_override(name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOWNLOAD_DELAY", "0.5"),
        ("CONCURRENT_REQUESTS", "4"),
        ("ROBOTSTXT_OBEY", "False"),
        ("DEPTH_PRIORITY", "-1"),
        ("NETGUARD_ALLOWED_HOSTS", ["intranet.example"]),
        ("NETGUARD_ALLOWED_HOSTS", "intranet.example,other.example"),
        ("LOG_FILE", "crawl.log"),
        ("CRAWL_REVISIT_DAYS", "inf"),
    ],
)
def test_a_good_override_passes(name, value):
    assert check_override(name, value) is None


def test_an_unknown_name_with_nothing_close_passes_with_a_warning():
    warning = check_override("MYPLUGIN_QUEUE_SIZE", "3")
    assert warning and "not a setting of newsarchive or Scrapy" in warning


# --- stats' words -----------------------------------------------------------------------


def test_stats_counts_in_words():
    assert plural(1, "site") == "1 site" and plural(2, "site") == "2 sites"
    assert plural(1_000, "article") == "1,000 articles"
    assert activity_headers(28) == ["site", "per day", "28d", "7d"]
    assert activity_headers(7) == ["site", "per day", "7d"]


@pytest.mark.parametrize(
    "args", [("stats",), ("db", "upgrade"), ("crawl", "http://127.0.0.1:9/")], ids=" ".join
)
def test_another_programs_sqlite_database_is_refused_and_left_as_it_was(args, tmp_path, capsys):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO users (name) VALUES ('kept')")
    db.close()
    before = other.read_bytes()
    assert run_command(parse_args([*args, "--db", str(other)])) == EXIT_USAGE
    assert capsys.readouterr().err == (
        f"newsarchive {' '.join(args[:2] if args[0] == 'db' else args[:1])}: {other} holds "
        "another program's tables (users): not a newsarchive archive; name a new file\n"
    )
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
