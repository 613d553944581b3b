"""A read-only corpus archive per test module and backend (tests that write use db_url)."""

from tests.support.corpus import corpus  # noqa: F401 - the fixture
