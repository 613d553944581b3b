"""JSON Lines: one article per line, UTF-8, timestamps as ISO 8601 strings in UTC."""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from archive.read import to_json

if TYPE_CHECKING:
    from archive.export import Progress
    from archive.read import Archive, ArticleFilter

PROGRESS_EVERY = 500


def write(arc: Archive, where: ArticleFilter | None, out: IO[bytes], progress: Progress) -> int:
    count = 0
    for article in arc.articles(where):
        out.write(json.dumps(to_json(article), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
        if count % PROGRESS_EVERY == 0:
            progress(count)
    progress(count)
    return count
