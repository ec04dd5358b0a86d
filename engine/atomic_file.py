"""Writing a file so that a reader sees the old version or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def writable_target(path: Path) -> Path:
    """The path to replace when writing `path`: a symbolic link is followed (the link stays a
    link and its file gets the new text). OSError with a sentence when what is there is not a
    regular file: a rename over a device, a pipe or a socket would replace it with a file (as
    root, `--out /dev/null` would replace the real /dev/null)."""
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real  # a new file
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder")
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "it is not a regular file (a device, a pipe or a socket)")
    return real


@contextlib.contextmanager
def replacing(path: Path, sync: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write that replaces `path` only once the block ends without an
    exception: written to a temporary file beside it (flushed to disk first when `sync`), then
    renamed over it. On any exception (an OSError, a stop) the temporary file is removed,
    `path` is as it was, and the exception propagates."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a temporary file beside `path`, flush it to disk, then rename it
    over `path` (only a new path or a regular file, see `writable_target`). On any OSError the
    temporary file is removed, `path` is as it was, and the error propagates."""
    with replacing(writable_target(path)) as f:
        lines = io.TextIOWrapper(f, encoding="utf-8")  # line ends as text mode writes them
        lines.write(text)
        lines.flush()
        lines.detach()  # the file is closed by `replacing`
