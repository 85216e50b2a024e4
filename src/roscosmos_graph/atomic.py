"""Writing files and folders so that a reader never sees them half-written."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputFolderError, OutputWriteError

__all__ = ["MANIFEST", "replace_folder", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Raises:
        OutputWriteError: ``path`` is a folder, or its folder cannot be made or written.
    """
    path = Path(path)
    if path.is_dir() or not path.name:
        raise OutputWriteError(f"{path}: is a folder; give a file name")
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as error:
        raise OutputWriteError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


MANIFEST = ".roscosmos-graph-output"
"""The file in every folder roscosmos-graph writes, listing each file and its SHA-256."""

_MANIFEST_HEADER = "# written by roscosmos-graph: the files of this folder and their SHA-256\n"


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Build a folder with ``fill`` in a temporary sibling, then swap it in for ``target``.

    If ``fill`` raises (or the process is stopped), ``target`` is left exactly as it was and
    the temporary is removed. An existing ``target`` is replaced only if it is empty or
    holds exactly the files its :data:`MANIFEST` lists, unchanged: ``-o ~`` never removes a
    home folder, and a file added to a previous output stops the next run.

    Raises:
        OutputFolderError: ``target`` is a file, or holds files this tool did not write.
    """
    _check_replaceable(target.resolve(), shown=target)
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        fill(staging)
        _write_manifest(staging)
        if target.exists():
            retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            try:
                os.replace(target, retired / target.name)
                os.replace(staging, target)
            finally:
                shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_replaceable(target: Path, shown: Path) -> None:
    """Refuse ``target`` unless it may be replaced; messages name it as the user gave it."""
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"{shown} is a file, not a folder; give a new or empty folder")
    if not target.is_dir() or not any(target.iterdir()):
        return
    manifest = target / MANIFEST
    if not manifest.is_file():
        raise OutputFolderError(f"{shown} is not empty and is not a previous output (it has "
                                f"no {MANIFEST}); give a new or empty folder")
    listed = _read_manifest(manifest)
    present = _files(target)
    foreign = sorted(set(present) - set(listed)) + sorted(
        name for name in set(present) & set(listed) if _sha256(target / name) != listed[name])
    if foreign:
        raise OutputFolderError(f"{shown} holds files roscosmos-graph did not write, or changed "
                                f"since ({', '.join(foreign[:3])}); give a new or empty folder")


def _files(folder: Path) -> list[str]:
    """Every file and symbolic link under ``folder`` but the manifest, as POSIX paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if (p.is_symlink() or not p.is_dir()) and p.relative_to(folder).as_posix()
                  != MANIFEST)


def _write_manifest(folder: Path) -> None:
    lines = "".join(f"{_sha256(folder / name)}  {name}\n" for name in _files(folder))
    (folder / MANIFEST).write_text(_MANIFEST_HEADER + lines, encoding="utf-8")
    os.chmod(folder / MANIFEST, 0o644)


def _read_manifest(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith(_MANIFEST_HEADER):
        return {}
    entries = (line.split("  ", 1) for line in text.splitlines()[1:])
    return {name: digest for digest, name in (e for e in entries if len(e) == 2)}


def _sha256(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()
