"""How capture bodies are stored: zstd-compressed, with their size and SHA-1 digest.

No database here (zstandard and the standard library only): the extraction workers pack
each page's body next to its article, so the crawler process hands the archive writer a
~30 KiB compressed body instead of holding the raw page (~170 KiB on the benchmark's
news pages) in the writer's queue until its batch commits, and the writer thread spends
no time compressing and hashing. ``archive.writer`` packs whatever body arrives raw.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import zstandard

BODY_CODEC = "zstd"
_COMPRESSION_LEVEL = 3


def compress_body(body: bytes) -> bytes:
    """The body compressed with zstd, in a bytes object of its own size: python-zstandard
    (0.25) returns one that keeps the worst-case buffer it compressed into, as large as
    the input, so a batch of 100 pages held 100 uncompressed copies until it committed."""
    compressed = zstandard.ZstdCompressor(level=_COMPRESSION_LEVEL).compress(body)
    return bytes(memoryview(compressed))


def decompress_body(data: bytes, codec: str) -> bytes:
    """The original bytes of a stored capture body."""
    if codec == "zstd":
        return zstandard.ZstdDecompressor().decompress(data)
    if codec == "identity":
        return data
    raise ValueError(f"unknown capture body codec {codec!r}")


def payload_digest(body: bytes) -> str:
    """The WARC-style digest of a payload: ``sha1:`` and its base32 SHA-1."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


@dataclass(frozen=True, slots=True)
class PackedBody:
    """A capture body as the archive stores it: compressed ``data`` in ``codec``, the
    raw body's ``size`` and ``digest`` (``payload_digest``)."""

    data: bytes
    size: int
    digest: str
    codec: str = BODY_CODEC

    @classmethod
    def pack(cls, body: bytes) -> PackedBody:
        return cls(compress_body(body), len(body), payload_digest(body))

    def unpack(self) -> bytes:
        return decompress_body(self.data, self.codec)
