"""Extraction functions for tests (``EXTRACT_FUNCTION``): misbehave on a marker page.

Workers import them by name, so they live at module level in an importable module.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from tests.support.hostile_server import CRASH_MARKER, HANG_MARKER


def extract_or_misbehave(html: str, url: str) -> Any:
    """Hang on a page carrying HANG_MARKER, die of SIGSEGV on CRASH_MARKER, else extract."""
    if HANG_MARKER in html:
        time.sleep(3600)
    if CRASH_MARKER in html:
        os.kill(os.getpid(), signal.SIGSEGV)
    from pipelines.extraction import extract_article

    return extract_article(html, url)
