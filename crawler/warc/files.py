"""WARC files in a folder: one gzip member per record, rotated at a size, indexed when closed.

Each file is named ``<prefix>-<timestamp>-<serial>-<host>.warc.gz`` (Heritrix's
pattern: the UTC time it was opened to the microsecond, a serial number counting the
files of this writer, the machine's name) and written as ``<name>.open`` until it is
closed, then renamed. It starts with a ``warcinfo`` record naming the software and the
crawl. Every record is its own gzip member, written whole and flushed with the
records of its fetch, so a process killed at any moment leaves every closed file
valid and the open one readable up to its last whole record.

A file is closed when it has reached ``max_size`` bytes (the next fetch goes to a new
file; a fetch's records always share a file) and when the writer closes. Beside each
closed file a CDXJ index (``<name>.cdxj``: SURT key, 14-digit timestamp, and the JSON
fields pywb's indexer writes) lists its ``response`` and ``revisit`` records, sorted,
so replay tools and ``newsarchive import`` can find a capture without reading the file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import surt
from warcio.warcwriter import WARCWriter

from crawler.warc.records import WARC_VERSION, RecordMaker

if TYPE_CHECKING:
    from collections.abc import Callable

    from warcio.recordloader import ArcWarcRecord

    from crawler.warc.records import Built

logger = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"
INDEX_SUFFIX = ".cdxj"
# zlib level of each record's gzip member. The writer thread runs on the cores extraction
# needs: on an uncompressed news page, level 3 costs about half of level 6's CPU (and a
# third of warcio's 9) for files about a tenth larger. Most sites send gzip anyway.
COMPRESS_LEVEL = 3
_MIME_END = re.compile("[; ]")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a record is: its file (the closed file's path, absolute), the offset of its
    gzip member and the member's length."""

    path: str
    offset: int
    length: int


def index_key(uri: str) -> str:
    """The CDXJ sort key of a URI: its SURT, as pywb computes it."""
    try:
        return str(surt.surt(uri))
    except Exception:
        return uri


def index_mime(content_type: str | None) -> str:
    """The CDXJ ``mime`` of a Content-Type, as pywb writes it (``unk`` when none)."""
    return _MIME_END.split(content_type, maxsplit=1)[0] if content_type else "unk"


def index_line(built: Built, content_type: str | None, location: Location) -> str:
    """One CDXJ line for the first record of ``built``."""
    fields: dict[str, str] = {"url": built.uri}
    if built.revisit:
        fields["mime"] = "warc/revisit"
    else:
        fields["mime"] = index_mime(content_type)
        fields["status"] = str(built.status)
    if built.digest:
        fields["digest"] = built.digest.removeprefix("sha1:")
    fields["length"] = str(location.length)
    fields["offset"] = str(location.offset)
    fields["filename"] = Path(location.path).name
    timestamp = built.date[:19].translate(str.maketrans("", "", "-:T"))
    return f"{index_key(built.uri)} {timestamp} {json.dumps(fields)}"


def gzip_member(data: bytes, level: int = COMPRESS_LEVEL) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


class RecordBytes:
    """Serialises warcio records (uncompressed) with one reused warcio writer."""

    def __init__(self) -> None:
        self.writer = WARCWriter(BytesIO(), gzip=False, warc_version=WARC_VERSION)

    def __call__(self, record: ArcWarcRecord) -> bytes:
        out = self.writer.out = BytesIO()
        self.writer.write_record(record)
        return out.getvalue()


class WarcFiles:
    """The WARC files of one writer in ``directory``. Not thread-safe: one thread writes.

    ``info()`` gives the fields of each file's ``warcinfo`` record (called as a file
    opens, so it may name things known only once the crawl has started).
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        info: Callable[[], dict[str, str]],
        prefix: str = "newsarchive",
        max_size: int = 1024**3,
        compress_level: int = COMPRESS_LEVEL,
        host: str | None = None,
    ) -> None:
        self.directory = Path(directory).absolute()
        self.info = info
        self.prefix = prefix
        self.max_size = max(1, max_size)
        self.compress_level = compress_level
        self.host = (host or socket.gethostname()).replace("-", "_") or "localhost"
        self.maker = RecordMaker()
        self.to_bytes = RecordBytes()
        self.serial = 0
        self.closed: list[Path] = []
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._size = 0
        self._index: list[str] = []

    @property
    def current(self) -> Path | None:
        """The final name of the file being written (it is at ``<name>.open`` until closed)."""
        return self._path

    def write(self, built: Built, content_type: str | None) -> Location:
        """Write a fetch's records together; where the first of them is."""
        if self._file is not None and self._size >= self.max_size:
            self.close()
        if self._file is None:
            self._open()
        assert self._file is not None and self._path is not None
        members = [gzip_member(self.to_bytes(r), self.compress_level) for r in built.records]
        location = Location(str(self._path), self._size, len(members[0]))
        self._file.write(b"".join(members))
        self._file.flush()
        self._size += sum(map(len, members))
        self._index.append(index_line(built, content_type, location))
        return location

    def close(self) -> Path | None:
        """Close the open file: rename it to its final name and write its index beside it."""
        if self._file is None or self._path is None:
            return None
        path = self._path
        self._file.close()
        self._file = None
        self._path = None
        os.replace(f"{path}{OPEN_SUFFIX}", path)
        self._write_index(path)
        self.closed.append(path)
        return path

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            path = self.directory / f"{self.prefix}-{stamp}-{self.serial:05d}-{self.host}{SUFFIX}"
            self.serial += 1
            if path.exists():
                continue
            try:
                self._file = open(f"{path}{OPEN_SUFFIX}", "xb")  # noqa: SIM115 - closed in close()
            except FileExistsError:
                continue
            break
        self._path = path
        self._size = 0
        self._index = []
        warcinfo = self.maker.warcinfo(path.name, self.info())
        member = gzip_member(self.to_bytes(warcinfo), self.compress_level)
        self._file.write(member)
        self._file.flush()
        self._size = len(member)

    def _write_index(self, path: Path) -> None:
        index = index_path(path)
        partial = index.with_name(index.name + ".part")
        partial.write_text("".join(f"{line}\n" for line in sorted(self._index)), "utf-8")
        os.replace(partial, index)
        self._index = []


def index_path(warc: Path) -> Path:
    """The CDXJ index beside a closed WARC file."""
    return warc.with_name(warc.name.removesuffix(SUFFIX) + INDEX_SUFFIX)
