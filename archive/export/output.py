"""Where an export writes, decided before any work, and never a clobbered file.

- ``-`` (or None), ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``: that open
  descriptor, as a stream (``-o >(gzip > a.gz)`` included).
- A regular file, or nothing yet: a temporary file in the same folder, renamed over
  the target once complete (removed if the export fails or is interrupted), so a
  reader never sees half a file and a failed export changes nothing. The file keeps
  the mode of the one it replaces.
- A symbolic link is followed: its target is replaced, the link kept.
- A named pipe or a character device (``/dev/null``): written in place, streaming.
- A folder, a block device, a missing or unwritable folder: :class:`OutputError`
  before anything is read from the archive.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from archive.engine import ArchiveInputError

if TYPE_CHECKING:
    from collections.abc import Iterator

# Paths that name a descriptor of this process rather than a file.
_DESCRIPTOR = re.compile(r"^/(?:dev|proc/self)/(?:fd/(\d+)|(stdout|stderr))$")
_STANDARD = {"stdout": 1, "stderr": 2}


class OutputError(ArchiveInputError):
    """The output cannot be written where it was asked; the message says why."""


@dataclass(frozen=True)
class Output:
    """A decided output: a descriptor to stream to, or a file to replace."""

    shown: str  # as the user named it
    fd: int | None = None  # stream to this descriptor (stdout, a pipe, a device)
    path: Path | None = None  # or write here: in place, or through a temporary file
    in_place: bool = False

    @property
    def streams(self) -> bool:
        return self.fd is not None or self.in_place


def _descriptor(path: str) -> int | None:
    if path == "-":
        return sys.stdout.fileno()
    match = _DESCRIPTOR.match(os.path.normpath(path))
    if match is None:
        return None
    fd = int(match[1]) if match[1] else _STANDARD[match[2]]
    try:
        os.fstat(fd)
    except OSError:
        raise OutputError(f"cannot write {path}: descriptor {fd} is not open") from None
    return fd


def decide_output(path: str | Path | None) -> Output:
    """Where ``path`` sends an export; OutputError if it cannot be written there."""
    shown = "-" if path is None else str(path)
    if not shown:  # `-o "$OUT"` with OUT unset: not the current folder
        raise OutputError(f"cannot write {shown!r}: an empty name (name a file, or - for stdout)")
    fd = _descriptor(shown)
    if fd is not None:
        return Output(shown, fd=fd)
    target = Path(os.path.realpath(Path(shown).expanduser()))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return Output(shown, path=_new_file(shown, target))
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {shown}: it is a folder (name a file in it)")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        if not os.access(target, os.W_OK):
            raise OutputError(f"cannot write {shown}: permission denied")
        return Output(shown, path=target, in_place=True)
    if not stat.S_ISREG(mode):
        raise OutputError(f"cannot write {shown}: not a regular file, pipe or terminal")
    return Output(shown, path=_new_file(shown, target))


def _new_file(shown: str, target: Path) -> Path:
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {shown}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {shown}: folder {folder} is not writable")
    return target


def _mode_for(target: Path) -> int:
    """The mode a replaced file had, or the one a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def open_output(output: Output) -> Iterator[IO[bytes]]:
    """A binary file for ``output``. A file is written under a temporary name in its
    folder and renamed over the target when the block succeeds; removed if it fails.
    A failed write (a full disk) raises OSError naming the output."""
    try:
        with _opened(output) as stream:
            yield stream
    except BrokenPipeError:
        raise
    except OSError as exc:
        if exc.filename or not exc.strerror:
            raise
        raise OSError(exc.errno, exc.strerror, output.shown) from exc


@contextmanager
def _opened(output: Output) -> Iterator[IO[bytes]]:
    if output.fd is not None:
        with os.fdopen(os.dup(output.fd), "wb") as stream:
            yield stream
        return
    assert output.path is not None
    if output.in_place:
        with output.path.open("wb") as stream:
            yield stream
        return
    target = output.path
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise OutputError(f"cannot write {output.shown}: {exc.strerror}") from None
    part = Path(temporary)
    try:
        raw = io.FileIO(fd, "wb")
        # Writers that name the file inside it (WARC's warcinfo) see the target's name.
        raw.name = str(target)
        with io.BufferedWriter(raw) as stream:
            yield stream
        part.chmod(_mode_for(target))
        part.replace(target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
