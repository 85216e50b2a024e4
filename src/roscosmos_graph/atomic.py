"""Writing files and folders so that a reader never sees them half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputFolderError

__all__ = ["replace_folder", "write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def replace_folder(target: Path, fill: Callable[[Path], None], *,
                   marker: str | None = None) -> None:
    """Build a folder with ``fill`` in a temporary sibling, then swap it in for ``target``.

    If ``fill`` raises, ``target`` is left exactly as it was and the temporary is removed.
    With ``marker``, an existing ``target`` is replaced only if it is empty or holds that
    file, as a previous output of the same kind does: ``-o ~`` never removes a home folder.

    Raises:
        OutputFolderError: ``target`` holds files but not ``marker``.
    """
    target = target.resolve()
    if (marker is not None and target.is_dir() and any(target.iterdir())
            and not (target / marker).is_file()):
        raise OutputFolderError(
            f"{target} is not empty and is not a previous output (it has no {marker}); "
            "give a new or empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-"))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        fill(staging)
        if target.exists():
            retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            os.replace(target, retired / target.name)
            os.replace(staging, target)
            shutil.rmtree(retired)
        else:
            os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
