"""Helpers for tests that read WARC files: records with their raw blocks, warcio's CLI."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator


def member_at(path: str | Path, offset: int) -> bytes:
    """The uncompressed bytes of the gzip member (one record) at ``offset``."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read()
    return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data)


def record_at(path: str | Path, offset: int) -> tuple[dict[str, str], bytes]:
    """The WARC headers (names lower-cased) and the block, byte for byte, of a record."""
    member = member_at(path, offset)
    head, _, rest = member.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("utf-8").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers, rest[: int(headers["content-length"])]


def records(path: str | Path) -> list[dict[str, Any]]:
    """Every record of a file: its type, offset, WARC headers (lower-cased names) and block."""
    found = []
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            offset = iterator.get_record_offset()
            headers, block = record_at(path, offset)
            found.append(
                {"type": record.rec_type, "offset": offset, "headers": headers, "block": block}
            )
    return found


def warcio(*args: str) -> subprocess.CompletedProcess[str]:
    """Run warcio's command line (check, index...)."""
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", *args], capture_output=True, text=True, check=False
    )
