"""Reading a file's bytes and decoding them the way Python does.

The encoding comes from a UTF-8 BOM or a PEP 263 coding cookie on the first two
lines, UTF-8 otherwise. Anything Python itself would refuse to read (NUL bytes,
an unknown or lying cookie, undecodable bytes) is an unreadable file (ASL002).
"""

from __future__ import annotations

import io
import os
import tokenize
from typing import NamedTuple, Optional


class Decoded(NamedTuple):
    text: Optional[str]
    error: Optional[str]  # why the bytes could not be read as Python source


def decode_source(data: bytes) -> Decoded:
    if b"\0" in data:
        return Decoded(None, "file contains NUL bytes (binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return Decoded(None, f"cannot detect encoding: {exc}")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        return Decoded(None, f"cannot decode as {encoding}: {exc}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text, None)


# Larger files are generated code or data: reported, not linted. A notebook's
# outputs can be large while its code is small, so notebooks get more room.
MAX_SOURCE_BYTES = 10 * 1024 * 1024
MAX_NOTEBOOK_BYTES = 256 * 1024 * 1024


def read_bytes(path: str):
    """The file's bytes, or a string saying why they could not be read."""
    limit = MAX_NOTEBOOK_BYTES if path.endswith(".ipynb") else MAX_SOURCE_BYTES
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                return f"file is {size / 2**20:.1f} MB, over the {limit // 2**20} MB limit: not linted"
            return handle.read(limit + 1)
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"


def unreadable(path: str, settings, message: str) -> list:
    """ASL002 for a file, unless the settings turn it off there."""
    from asynclint.diagnostic import whole_file

    return [whole_file(path, "ASL002", message)] if "ASL002" in settings.codes_for(path) else []
