"""Re-crawl and near-duplicate options of ``newsarchive crawl`` are checked before crawling."""

from __future__ import annotations

import pytest

from crawler.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week"], "--since 'last week' is not an ISO 8601 date"),
        (["-s", "CRAWL_SINCE=soon"], "--since 'soon' is not an ISO 8601 date"),
        (["--revisit-days", "-1"], "argument --revisit-days: must be a number of days >= 0"),
        (["-s", "CRAWL_REVISIT_DAYS=nan"], "-s CRAWL_REVISIT_DAYS=nan: must be a number"),
        (["-s", "CRAWL_REVISIT_DAYS=-2"], "-s CRAWL_REVISIT_DAYS=-2: must be 0 or more"),
        (["-s", "DEDUP_NEAR_THRESHOLD=1.5"], "DEDUP_NEAR_THRESHOLD must be above 0 and at most 1"),
        (["-s", "DEDUP_NEAR_THRESHOLD=high"], "-s DEDUP_NEAR_THRESHOLD=high: must be a number"),
        (["-s", "ARCHIVE_BOILERPLATE_MIN_SHARE=1.5"], "ARCHIVE_BOILERPLATE_*: boilerplate shares"),
        (
            ["-s", "ARCHIVE_BOILERPLATE_MIN_ARTICLES=0"],
            "ARCHIVE_BOILERPLATE_*: boilerplate article",
        ),
        (["-s", "ARCHIVE_BOILERPLATE_MAX_WORDS=many"], "MAX_WORDS=many: must be a whole number"),
        (["-s", "ARCHIVE_BOILERPLATE_RECLEAN_BUDGET=-1"], "RECLEAN_BUDGET=-1: must be 0 or more"),
    ],
)
def test_bad_values_are_usage_errors_and_nothing_is_created(args, message, tmp_path, capsys):
    db = tmp_path / "archive.db"
    try:
        code = main(["crawl", "http://127.0.0.1:9/", "--db", f"sqlite:///{db}", *args])
    except SystemExit as refused:  # the option parser's own refusal
        code = int(str(refused.code))
    assert code == 2
    assert message in capsys.readouterr().err
    assert not db.exists()
