"""Inline HTML pages for the extraction tests (tests/support/pages.py)."""

from tests.support.pages import make_page  # noqa: F401 - the fixture
