"""Finding input files and turning their bytes into text.

Paths may be files, directories (read recursively) or glob patterns; files may be gzip
compressed; text may be UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy 8-bit
encoding (read as Windows-1252, line by line, so that a mostly-UTF-8 file with a few bad
lines keeps its good lines intact).
"""

from __future__ import annotations

import codecs
import glob
import gzip
import logging
import os
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.atomic import is_kg_output
from kg.errors import InputError

__all__ = ["expand_paths", "read_text", "decode", "text_name", "KNOWN_SUFFIXES"]

logger = logging.getLogger(__name__)

#: file name endings kg looks for when it is given a directory
KNOWN_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".bib", ".bibtex")

Warn = Callable[[str], None]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files, directories and glob patterns into a sorted, de-duplicated list of files.

    A directory is read recursively, skipping hidden files and kg output folders below it.

    Raises :class:`~kg.errors.InputError` for a path or pattern that matches nothing.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(_input_files(path))
            if not found:
                raise InputError(
                    f"{raw}: directory holds no input files (looked for {', '.join(KNOWN_SUFFIXES)}, optionally .gz)"
                )
            out.extend(found)
        elif path.is_file():
            out.append(path)
        elif glob.has_magic(str(raw)):
            found = sorted(Path(p) for p in glob.glob(str(raw), recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(f"{raw}: no file matches this pattern")
            out.extend(found)
        else:
            raise InputError(f"{raw}: no such file or directory")
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def _input_files(folder: Path) -> Iterable[Path]:
    """The input files under ``folder``: known suffixes, no hidden files, and nothing inside a
    kg output folder below it (``kg build data/ -o data/kg-out`` must not read its own outputs
    the next time)."""
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not is_kg_output(here / d)]
        for name in files:
            if not name.startswith(".") and name.lower().removesuffix(".gz").endswith(KNOWN_SUFFIXES):
                p = here / name
                if p.is_file():
                    yield p


def _gunzip(data: bytes, name: str, warn: Warn) -> bytes:
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        # a truncated archive: keep what decompresses
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            part = d.decompress(data)
        except zlib.error:
            head = data[2:8194]
            if head and head.count(b"\x00") <= max(8, len(head) // 50) and _control_ratio(head) <= 0.1:
                # text that happens to start with gzip's two magic bytes (a damaged first line)
                warn("starts like gzip data but is not; read as text")
                return data
            raise InputError(f"{name}: not a readable gzip file ({exc})") from None
        warn(f"gzip data is truncated or damaged ({exc}); reading the {len(part):,} bytes that decompress")
        return part


def _looks_utf16(head: bytes) -> str | None:
    """Guess BOM-less UTF-16 from the pattern of NUL bytes in ASCII-heavy text."""
    if len(head) < 4:
        return None
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str, warn: Warn) -> str:
    """Decode file bytes to text, detecting BOMs, UTF-16, binary data and legacy encodings.

    >>> decode("café".encode("utf-8"), "x.txt", print)
    'café'
    >>> decode(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"), "x.txt", print)
    'hi'
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        rest = data[2:]
        if b"\x00" not in rest[:4096] and _is_utf8(rest):
            # UTF-8 text whose first bytes happen to read as a UTF-16 mark: a damaged first line
            warn("starts with a UTF-16 byte-order mark but is UTF-8 text; the mark is ignored")
            data = rest
        else:
            return data.decode("utf-16", errors="replace")
    else:
        guess = _looks_utf16(data[:4096])
        if guess:
            return data.decode(guess, errors="replace")
    head = data[:8192]
    # a stray NUL in a text file is one broken record, not a binary file: binary data has many
    if head.count(b"\x00") > max(8, len(head) // 50) or _control_ratio(head) > 0.1:
        raise InputError(f"{name}: looks like a binary file, not text (no papers read)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    bad: list[int] = []
    out = []
    for i, line in enumerate(lines, 1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(i)
            out.append(line.decode("cp1252", errors="strict") if _cp1252_ok(line) else line.decode("latin-1"))
    shown = ", ".join(map(str, bad[:5])) + (" ..." if len(bad) > 5 else "")
    warn(f"not valid UTF-8 on {len(bad)} line(s) ({shown}); read those as Windows-1252/Latin-1")
    return "\n".join(out)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _cp1252_ok(line: bytes) -> bool:
    try:
        line.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls / len(head)


def read_text(path: Path, warn: Warn) -> str:
    """Read a file (gunzipping it when it is gzip data) and decode it to text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, str(path), warn)
    if not data.strip():
        raise InputError(f"{path}: file is empty (no papers read)")
    return decode(data, str(path), warn)


def text_name(path: Path) -> str:
    """The file name without a compression suffix, lower-cased: used to guess the format."""
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name
