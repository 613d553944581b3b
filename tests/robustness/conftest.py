"""The hostile server, per session (tests/support/hostile.py)."""

from tests.support.hostile import hostile, server  # noqa: F401 - the fixtures
