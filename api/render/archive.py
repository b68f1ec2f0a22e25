"""ZIP archives whose bytes depend only on their contents, so every instance serves the same ETag."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date

_UNIX = 3
_REGULAR_FILE = 0o100644


def deterministic_zip(members: Iterable[tuple[str, bytes]], stamp: date) -> bytes:
    """Deflated members in the given order, each dated `stamp` at midnight, with fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _REGULAR_FILE << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def member(archive: bytes, name: str) -> bytes:
    """One file of an archive built here."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return opened.read(name)
