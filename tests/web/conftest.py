"""Archives for the web view's tests, per module and backend (tests/support/webapp.py)."""

from tests.support.webapp import empty, hostile, newsroom  # noqa: F401 - the fixtures
