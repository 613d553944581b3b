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
    ],
)
def test_bad_values_are_usage_errors_and_nothing_is_created(args, message, tmp_path, capsys):
    db = tmp_path / "archive.db"
    code = main(["crawl", "http://127.0.0.1:9/", "--db", f"sqlite:///{db}", *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not db.exists()
