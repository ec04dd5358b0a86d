"""Fetching an IDX dataset from its public mirror into the cache, checked and atomic.

Each file is streamed into a temporary file in the cache folder while its MD5 is computed,
compared with the published checksum, and only then renamed to its real name. Offline, a
404, a short or corrupt download, or a stop request leaves no file behind but those already
complete and verified; the error is one sentence (`DataError`) naming the file and the server.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from engine.control import checkpoint
from engine.data.catalog import DATASETS
from engine.data.store import cache_dir, remove_stale_partials
from engine.errors import DataError

CHUNK = 1 << 16
TIMEOUT_S = 30.0


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def download(name: str, base_url: str | None = None, checksums: dict[str, str] | None = None) -> Path:
    """Fetch every missing file of dataset `name`; returns its cache folder.

    `base_url` replaces the mirror and `checksums` (file name -> MD5) the published ones (tests
    serve files from 127.0.0.1). Call inside `working(control, "download")` for progress and
    stop; a stop raises `Interrupted` with nothing half-written.
    """
    info = DATASETS[name]
    if info.kind != "idx":
        raise DataError(f"{name} needs no download (it is {info.kind})", name, "none")
    base = base_url or info.mirror
    folder = cache_dir(name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataError(
            f"{name}: cannot create the cache folder {folder} ({e.strerror or e})", name, "write"
        ) from None
    remove_stale_partials(folder)
    wanted = [(f, (checksums or {}).get(f, md5)) for f, md5 in info.files.values()]
    todo = [(f, md5) for f, md5 in wanted if not ((folder / f).is_file() and md5_of(folder / f) == md5)]
    for k, (file, md5) in enumerate(todo):
        _fetch(name, urllib.parse.urljoin(base, file), folder / file, md5, k, len(todo))
    return folder


def _fetch(name: str, url: str, target: Path, md5: str, index: int, count: int) -> None:
    host = urllib.parse.urlsplit(url).netloc or url
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    except OSError as e:
        raise DataError(
            f"{name}: cannot write into {target.parent} ({e.strerror or e})", name, "write"
        ) from None
    try:
        digest = hashlib.md5(usedforsecurity=False)
        got = total = 0
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(url, timeout=TIMEOUT_S)
            except urllib.error.HTTPError as e:
                e.close()  # it holds the connection's socket
                raise DataError(
                    f"{name}: {host} answered {e.code} {e.reason} for {target.name}",
                    name,
                    "http",
                    code=e.code,
                    host=host,
                ) from None
            except (urllib.error.URLError, OSError) as e:
                raise _offline(name, host, target, e) from None
            with response:
                total = response.length or 0
                while True:
                    try:
                        block = response.read(CHUNK)
                    except http.client.IncompleteRead:
                        break  # reported below as stopped early
                    except OSError as e:
                        raise _offline(name, host, target, e) from None
                    if not block:
                        break
                    try:
                        out.write(block)
                    except OSError as e:
                        raise DataError(
                            f"{name}: cannot write {target.name} into {target.parent} ({e.strerror or e})",
                            name,
                            "write",
                        ) from None
                    digest.update(block)
                    got += len(block)
                    checkpoint((index + (got / total if total else 0.0)) / count)
        if total and got < total:
            raise DataError(
                f"{name}: the download of {target.name} from {host} stopped early "
                f"({got:,} of {total:,} bytes); try again",
                name,
                "truncated",
                host=host,
            )
        if digest.hexdigest() != md5:
            raise DataError(
                f"{name}: {target.name} from {host} does not match its published checksum "
                "(a damaged or changed file); nothing was kept",
                name,
                "checksum",
                host=host,
            )
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _offline(name: str, host: str, target: Path, e: Exception) -> DataError:
    reason = getattr(e, "reason", None) or getattr(e, "strerror", None) or e
    return DataError(
        f"{name}: cannot reach {host} ({reason}); check the connection, or copy the files into "
        f"{target.parent}",
        name,
        "offline",
        host=host,
    )
