"""Writing a file so that a reader sees the old version or the new one, never half of either."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


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


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a temporary file beside `path`, flush it to disk, then rename it
    over `path` (only a new path or a regular file, see `writable_target`). On any OSError the
    temporary file is removed, `path` is as it was, and the error propagates."""
    path = writable_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    temp = None
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
        temp = None
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
