"""Re-crawl and near-duplicate options of ``newsarchive crawl`` are checked before crawling."""

from __future__ import annotations

import pytest

from crawler.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week"], "--since 'last week' is not an ISO 8601 date"),
        (["-s", "CRAWL_SINCE=soon"], "--since 'soon' is not an ISO 8601 date"),
        (["--revisit-days", "-1"], "--revisit-days must be a number of days >= 0"),
        (["-s", "CRAWL_REVISIT_DAYS=nan"], "--revisit-days must be a number of days >= 0"),
        (["-s", "DEDUP_NEAR_THRESHOLD=1.5"], "DEDUP_NEAR_THRESHOLD must be above 0 and at most 1"),
        (["-s", "DEDUP_NEAR_THRESHOLD=high"], "DEDUP_NEAR_THRESHOLD must be a number"),
        (["-s", "ARCHIVE_BOILERPLATE_MIN_SHARE=1.5"], "ARCHIVE_BOILERPLATE_*: boilerplate shares"),
        (
            ["-s", "ARCHIVE_BOILERPLATE_MIN_ARTICLES=0"],
            "ARCHIVE_BOILERPLATE_*: boilerplate article",
        ),
        (["-s", "ARCHIVE_BOILERPLATE_MAX_WORDS=many"], "ARCHIVE_BOILERPLATE_*: invalid literal"),
        (["-s", "ARCHIVE_BOILERPLATE_RECLEAN_BUDGET=-1"], "RECLEAN_BUDGET must be >= 0"),
    ],
)
def test_bad_values_are_usage_errors_and_nothing_is_created(args, message, tmp_path, capsys):
    db = tmp_path / "archive.db"
    code = main(["crawl", "http://127.0.0.1:9/", "--db", f"sqlite:///{db}", *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not db.exists()
