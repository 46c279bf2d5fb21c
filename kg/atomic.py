"""Writing files and folders so that an interrupted run never leaves half a file, and never
touches a file kg did not write.

:func:`atomic_write` writes a file through a temporary sibling and renames it into place;
:func:`check_output_folder` decides, before any work, whether a folder may receive a build;
:func:`output_folder` stages a build's files inside the output folder and moves them into
place only when everything is written. Files kg did not write are never removed: kg replaces
only the files a previous build listed in its ``build.json`` marker.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from kg.errors import OutputError

__all__ = [
    "atomic_write",
    "check_output_file",
    "check_output_folder",
    "output_folder",
    "is_kg_output",
    "MARKER",
    "BUILD_FILES",
]

#: the file every build writes last; a folder holding one (written by kg) is a kg output folder
MARKER = "build.json"
#: the names of the files ``kg build`` writes (kg.build.write_outputs); kg replaces or removes a
#: file of these names only when a previous build's marker lists it
BUILD_FILES = frozenset(
    {"papers.jsonl", "mentions.jsonl", "entities.jsonl", "graph.json", "graph.graphml", "graph.html", MARKER}
)
_STAGE_PREFIX = ".kg-staging-"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _follow_umask(path: str | Path, *, directory: bool = False) -> None:
    """mkstemp/mkdtemp make private files (0600/0700); kg's outputs follow the user's umask
    like any other tool's."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_write(p) as f:
    ...     _ = f.write("hello")
    >>> p.read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _follow_umask(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _manifest_files(folder: Path) -> list[str] | None:
    """The files a kg build recorded in ``folder/build.json``, or None when the folder holds
    no kg marker."""
    try:
        manifest = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or "kg_version" not in manifest:
        return None
    files = manifest.get("files")
    if not isinstance(files, list):
        return []
    # plain names only: a marker can never send kg outside its folder
    return [f for f in files if isinstance(f, str) and f and "/" not in f and "\\" not in f and f not in (".", "..")]


def is_kg_output(folder: str | Path) -> bool:
    """Whether ``folder`` holds the ``build.json`` marker of a previous kg build."""
    return _manifest_files(Path(folder)) is not None


def _contains(folder: Path, path: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def _input_paths(inputs: Iterable[str | Path]) -> Iterator[tuple[str, Path]]:
    """``(as given, resolved path)`` for every existing input, glob patterns expanded."""
    for item in inputs:
        p = Path(str(item)).expanduser()
        if p.exists():
            yield str(item), p.resolve()
        elif glob.has_magic(str(item)):
            for match in glob.glob(str(p), recursive=True):
                yield match, Path(match).resolve()


def check_output_folder(folder: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False) -> Path:
    """Check, before any work, that a build may be written into ``folder``; return it resolved.

    Refused up front, whatever ``force`` says: an empty name, the working directory, the
    file-system root, the home directory, and a folder that holds one of the ``inputs``.
    An existing folder must be empty or a previous kg output (its ``build.json`` marker);
    any other folder is refused unless ``force`` -- and even then kg only adds its own files,
    never replaces or removes a file it did not write (a file named like one of kg's, e.g. the
    user's own ``papers.jsonl``, is refused up front). The folder (or the parent it will be made
    in) must be writable.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / "notes.txt").write_text("mine")
    4
    >>> check_output_folder(d)
    Traceback (most recent call last):
    ...
    kg.errors.OutputError: [E110] ... holds files kg did not write (notes.txt); ...
    >>> check_output_folder(d / "new") == (d / "new").resolve()
    True
    """
    raw = str(folder)
    if not raw.strip():
        raise OutputError("the output folder is empty (-o ''); name a folder, e.g. -o kg-out")
    path = Path(raw).expanduser()
    resolved = path.resolve()
    if resolved == Path.cwd().resolve():
        raise OutputError(
            f"{raw}: the output folder is the working directory; kg needs a folder of its own, e.g. -o kg-out"
        )
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise OutputError(
            f"{raw}: refusing to write a build into {resolved} (the root or home folder); "
            "choose a folder of its own, e.g. -o kg-out"
        )
    for item, p in _input_paths(inputs):
        if _contains(resolved, p):
            raise OutputError(f"{raw}: the output folder holds the input {item}; choose another folder, e.g. -o kg-out")
    if resolved.exists():
        if not resolved.is_dir():
            raise OutputError(f"{raw}: exists and is not a folder; choose a folder name, e.g. -o kg-out")
        foreign = [c.name for c in resolved.iterdir() if not c.name.startswith(_STAGE_PREFIX)]
        previous = _manifest_files(resolved)
        if foreign and previous is None and not force:
            shown = ", ".join(sorted(foreign)[:3]) + (", ..." if len(foreign) > 3 else "")
            raise OutputError(
                f"{raw}: holds files kg did not write ({shown}); choose a new or empty folder, "
                "or pass --force to add kg's files to it (nothing else in it is touched)"
            )
        clash = _clashes(resolved, previous or [])
        if clash:
            raise OutputError(
                f"{raw}: holds {', '.join(clash)}, not written by kg, with the name of a file a build "
                "writes; move it away or choose another folder (kg never overwrites a file it did not write)"
            )
        _check_writable(resolved, raw)
    else:
        parent = resolved.parent
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            raise OutputError(f"{raw}: cannot make the folder: {parent} is not a folder")
        _check_writable(parent, raw)
    return resolved


def _clashes(folder: Path, previous: list[str]) -> list[str]:
    """Files in ``folder`` named like a build's files that no previous build wrote: the user's
    (a ``graph.html`` that ``kg export html`` wrote is kg's page, not a clash)."""
    return sorted(
        n for n in BUILD_FILES if n not in previous and os.path.lexists(folder / n) and not _kg_page(folder / n)
    )


def _kg_page(path: Path) -> bool:
    """Whether ``path`` is an HTML page kg wrote (it carries kg's data block)."""
    if path.suffix != ".html" or path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            return any(b'id="kg-data"' in chunk for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return False


def check_output_file(path: str | Path, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Check, before any work, that ``path`` may be written: not a folder, not one of the
    ``inputs`` (``kg extract papers.jsonl -o papers.jsonl`` would destroy its input; glob
    patterns are expanded), not inside an input folder (the next run would read it as input),
    and in a folder kg can write to. Returns the path resolved."""
    raw = str(path)
    resolved = Path(raw).expanduser().resolve()
    if not raw.strip() or resolved.is_dir():
        raise OutputError(f"{raw!r}: the output must be a file name, e.g. -o mentions.jsonl")
    for item, p in _input_paths(inputs):
        if p == resolved:
            raise OutputError(f"{raw}: is the input {item}; write the output elsewhere")
        if p.is_dir() and _contains(p, resolved):
            raise OutputError(
                f"{raw}: is inside the input folder {item} (it would be read as input); write the output elsewhere"
            )
    parent = resolved.parent
    while not parent.exists():
        parent = parent.parent
    _check_writable(parent, raw)
    return resolved


def _check_writable(folder: Path, raw: str) -> None:
    """Try it for real (``os.access`` says yes to root on read-only mounts and immutable folders)."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".kg-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            f"{raw}: cannot write in {folder} ({exc.strerror or exc}); choose a folder you can write to, "
            "or fix its permissions"
        ) from None


@contextlib.contextmanager
def output_folder(final: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder inside ``final``; on success its files move into ``final``.

    The marker :data:`MARKER` moves last, so a folder with a marker is always complete. Files
    of the previous build (as its marker lists them, and only with the names of
    :data:`BUILD_FILES`) that this build did not write again are removed; a file of the same
    name as a new one that no previous build wrote is the user's, and the build is refused
    rather than replace it; nothing else in ``final`` is touched. If the block raises -- or the process is
    interrupted -- only the staging folder is removed and ``final`` keeps its previous files.
    """
    final = Path(final)
    created = not final.exists()
    try:
        final.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{final}: cannot make the folder ({exc.strerror or exc})") from None
    previous = _manifest_files(final) or []
    stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=final))
    try:
        yield stage
        names = sorted(os.listdir(stage), key=lambda n: (n == MARKER, n))
        # a file of the same name that no previous build wrote is the user's: never replace it
        theirs = [n for n in names if n not in previous and os.path.lexists(final / n) and not _kg_page(final / n)]
        if theirs:
            raise OutputError(
                f"{final}: holds {', '.join(theirs)}, not written by kg; the build was not written "
                "(move those files away or choose another folder)"
            )
        try:
            for name in names:
                src = stage / name
                if src.is_dir():
                    _follow_umask(src, directory=True)
                os.replace(src, final / name)
            for name in (set(previous) & BUILD_FILES) - set(names):
                target = final / name
                if target.is_file() and not target.is_symlink():
                    target.unlink()
        except OSError as exc:
            raise OutputError(f"{final}: could not write the build's files ({exc.strerror or exc})") from None
        os.rmdir(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                final.rmdir()  # only if still empty
        raise
