"""The extraction stage: HTML page in, clean article text, metadata and page-type verdict out.

Pure functions with no I/O and no shared mutable state, safe to call from worker processes.
The names below load on first use (PEP 562): the crawler process unpickles results
(``model``) and classifies pages (``pagetype``) without importing trafilatura, which
only the worker processes need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extraction.core import extract_article
    from pipelines.extraction.model import Extracted, ExtractionError, Verdict
    from pipelines.extraction.pagetype import classify_page

_EXPORTS = {
    "extract_article": "pipelines.extraction.core",
    "Extracted": "pipelines.extraction.model",
    "ExtractionError": "pipelines.extraction.model",
    "Verdict": "pipelines.extraction.model",
    "classify_page": "pipelines.extraction.pagetype",
}

__all__ = ["Extracted", "ExtractionError", "Verdict", "classify_page", "extract_article"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pipelines.extraction' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
