"""The extraction stage: HTML page in, clean article text, metadata and page-type verdict out.

Pure functions with no I/O and no shared mutable state, safe to call from worker processes.
"""

from pipelines.extraction.core import extract_article
from pipelines.extraction.model import Extracted, ExtractionError, Verdict
from pipelines.extraction.pagetype import classify_page

__all__ = ["Extracted", "ExtractionError", "Verdict", "classify_page", "extract_article"]
