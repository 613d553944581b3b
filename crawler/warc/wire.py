"""An HTTP exchange as it crossed the wire, and its messages split without re-encoding.

The crawler copies the bytes it sends and receives on each connection (see
``crawler.compat``); a WARC record must hold them as they were: the status line and
header names in their case and order, continuation lines, the body still
content-encoded and, when the server used chunked transfer-encoding, with its chunk
framing (as Heritrix and warcprox store it; replay tools and warcio undo it). The only
cut is at the end of the message: bytes a server sent after it (which HTTP/1.1 without
pipelining does not allow) are not part of the response.

Pure functions of bytes: nothing here imports warcio or Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

_CRLF = b"\r\n"
_BLANK_LINE = b"\r\n\r\n"
# Statuses whose responses have no body whatever their headers say (RFC 9110 6.4.1).
_NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(slots=True)
class Exchange:
    """One request and its response on a connection: the bytes sent and received, the
    server's address and when the request went out (the fetch's date, UTC)."""

    started: datetime
    ip: str | None = None
    sent: list[bytes] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)

    def request_bytes(self) -> bytes:
        return b"".join(self.sent)

    def response_bytes(self) -> bytes:
        return b"".join(self.received)


@dataclass(frozen=True, slots=True)
class Head:
    """A message's first line and headers: ``raw`` is them as received, through the blank
    line that ends them; the rest is parsed for reading only (never written back)."""

    raw: bytes
    first_line: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def protocol(self) -> str:
        """``HTTP/1.1`` for a response, the method for a request (as warcio has it)."""
        return self.first_line.split(" ", 1)[0]

    @property
    def rest_of_line(self) -> str:
        """After the first word: ``200 OK`` for a response, ``/path HTTP/1.1`` for a request."""
        parts = self.first_line.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def status(self) -> int:
        """A response's status code, 0 if the status line has none."""
        code = self.rest_of_line.split(" ", 1)[0]
        return int(code) if code.isdigit() else 0

    @property
    def chunked(self) -> bool:
        encoding = self.header("Transfer-Encoding") or ""
        return encoding.replace(" ", "").lower().split(",")[-1] == "chunked"

    @property
    def mime(self) -> str:
        """The media type of the Content-Type header, lower-cased, without parameters."""
        value = self.header("Content-Type") or ""
        return value.split(";", 1)[0].strip().lower()


def split_message(data: bytes) -> tuple[Head, bytes] | None:
    """The head and the rest of a message, or None if the head is incomplete."""
    end = data.find(_BLANK_LINE)
    if end < 0:
        return None
    raw = data[: end + len(_BLANK_LINE)]
    return parse_head(raw), data[len(raw) :]


def parse_head(raw: bytes) -> Head:
    """Read a head's first line and headers (a line starting with a space or tab goes on
    the header before it; a line without a colon is skipped, as browsers do)."""
    lines = raw.decode("latin-1").split("\r\n")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    return Head(raw, lines[0], tuple(headers))


def chunked_length(data: bytes) -> int | None:
    """How many bytes of ``data`` a chunked body takes, through its last chunk and
    trailers; None if it does not end within ``data`` (or is not chunked framing)."""
    position = 0
    while True:
        line_end = data.find(_CRLF, position)
        if line_end < 0:
            return None
        size_text = data[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        position = line_end + len(_CRLF)
        if size == 0:
            break
        position += size + len(_CRLF)
    while True:  # trailer fields, then the blank line
        line_end = data.find(_CRLF, position)
        if line_end < 0:
            return None
        if line_end == position:
            return position + len(_CRLF)
        position = line_end + len(_CRLF)


def response_body(head: Head, rest: bytes, *, method: str = "GET") -> bytes:
    """The response's body as sent (content-encoded, chunk framing kept), cut at the end
    of the message when its framing says where that is."""
    if method.upper() == "HEAD" or head.status in _NO_BODY_STATUSES or 100 <= head.status < 200:
        return b""
    if head.chunked:
        length = chunked_length(rest)
        return rest if length is None else rest[:length]
    declared = head.header("Content-Length")
    if declared is not None and declared.strip().isdigit():
        return rest[: int(declared)]
    return rest
