"""Check an upload of seed files (loose or zipped) before anything is unpacked, then unpack it.

``check_upload`` reads only names, sizes and a zip's directory: it refuses what
is too big or too many, any file type the seed format does not have, absolute or
``..`` paths, links and other non-regular entries, encrypted entries, duplicate
names and entries that promise a suspicious compression ratio. ``unpack`` then
writes the files into a fresh folder, counting the real bytes of every entry as
it goes and stopping at once when an entry holds more than it declared (the
zip-bomb trick) or a limit is passed. Every refusal names the file or entry.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from articles.ingest.reading import IMPORTABLE_SUFFIXES

MiB = 1024 * 1024
CHUNK = 64 * 1024


class UploadRejected(ValueError):
    """The upload is refused; the message names the file or entry and why."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 50 * MiB
    """All uploaded files together, as sent."""
    files: int = 5000
    """Seed files in the whole upload."""
    file_bytes: int = 10 * MiB
    """One seed file, unpacked."""
    unpacked_bytes: int = 200 * MiB
    """All seed files together, unpacked."""
    ratio: int = 200
    """Largest compression ratio believed for an entry over 1 MiB."""

    @classmethod
    def from_settings(cls):
        names = {
            "upload_bytes": "JOBS_UPLOAD_MAX_BYTES",
            "files": "JOBS_UPLOAD_MAX_FILES",
            "file_bytes": "JOBS_UPLOAD_MAX_FILE_BYTES",
            "unpacked_bytes": "JOBS_UPLOAD_MAX_UNPACKED_BYTES",
        }
        values = {key: getattr(settings, name, None) for key, name in names.items()}
        return cls(**{key: value for key, value in values.items() if value is not None})


def allowed_types():
    return ", ".join(sorted(IMPORTABLE_SUFFIXES)) + " or .zip"


def check_upload(files, limits):
    """Check ``(name, file object)`` pairs; return how many seed files they hold."""
    if not files:
        raise UploadRejected("choose at least one file")
    sizes = [_size(fileobj) for _, fileobj in files]
    if sum(sizes) > limits.upload_bytes:
        raise UploadRejected(
            f"the upload is {_mib(sum(sizes))}; at most {_mib(limits.upload_bytes)} is accepted"
        )
    seen = set()
    unpacked = 0
    for (name, fileobj), size in zip(files, sizes, strict=True):
        if name.lower().endswith(".zip"):
            for path, declared in zip_entries(name, fileobj, limits):
                _claim(seen, path, f"{name}: {path}")
                unpacked += declared
        else:
            _check_seed_name(name, name)
            if size > limits.file_bytes:
                raise UploadRejected(f"{name}: {_mib(size)} is over {_mib(limits.file_bytes)}")
            _claim(seen, name, name)
            unpacked += size
        if len(seen) > limits.files:
            raise UploadRejected(f"more than {limits.files} files in the upload")
        if unpacked > limits.unpacked_bytes:
            raise UploadRejected(
                f"the files unpack to more than {_mib(limits.unpacked_bytes)} in all"
            )
    if not seen:
        raise UploadRejected("the upload holds no seed files")
    return len(seen)


def zip_entries(name, fileobj, limits):
    """``(path, declared size)`` of each seed file in the zip; refuses the whole zip otherwise.

    Folders, hidden files and macOS's ``__MACOSX`` folder are passed over, as the
    importer passes over hidden files in a folder.
    """
    archive = _open_zip(name, fileobj)
    infos = archive.infolist()
    if len(infos) > 2 * limits.files:
        raise UploadRejected(f"{name}: {len(infos)} entries; at most {limits.files} files")
    entries = []
    for info in infos:
        where = f"{name}: {info.filename}"
        path = _safe_path(info.filename, where)
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if kind == stat.S_IFLNK:
            raise UploadRejected(f"{where}: links are not accepted")
        if info.is_dir() or kind == stat.S_IFDIR:
            continue
        if kind not in (0, stat.S_IFREG):
            raise UploadRejected(f"{where}: only plain files are accepted")
        if any(part.startswith(".") or part == "__MACOSX" for part in path.parts):
            continue
        if info.flag_bits & 0x1:
            raise UploadRejected(f"{where}: encrypted entries are not accepted")
        _check_seed_name(path.name, where)
        if info.file_size > limits.file_bytes:
            raise UploadRejected(
                f"{where}: unpacks to {_mib(info.file_size)}, over {_mib(limits.file_bytes)}"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > MiB and ratio > limits.ratio:
            raise UploadRejected(f"{where}: compressed {ratio} to 1, as only a zip bomb is")
        entries.append((str(path), info.file_size))
    return entries


def unpack(files, folder, limits):
    """Write ``(name, bytes-like file object)`` pairs' seed files under ``folder``.

    Raises ``UploadRejected`` (the folder may then hold part of the files: the
    caller throws it away) when an entry holds more than it declared or a limit
    is passed while writing.
    """
    folder = Path(folder)
    budget = _Budget(limits)
    for name, fileobj in files:
        if not name.lower().endswith(".zip"):
            _check_seed_name(name, name)
            _write(folder / name, [fileobj.read(limits.file_bytes + 1)], name, None, budget)
            continue
        archive = _open_zip(name, fileobj)
        entries = dict(zip_entries(name, fileobj, limits))
        for info in archive.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or str(path) not in entries:
                continue
            where = f"{name}: {info.filename}"
            try:
                with archive.open(info) as member:
                    chunks = iter(lambda m=member: m.read(CHUNK), b"")
                    _write(folder / path, chunks, where, info.file_size, budget)
            except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as error:
                raise UploadRejected(f"{where}: cannot be unpacked: {error}") from None


class _Budget:
    def __init__(self, limits):
        self.limits = limits
        self.total = 0

    def take(self, amount, where):
        self.total += amount
        if self.total > self.limits.unpacked_bytes:
            raise UploadRejected(
                f"{where}: the files unpack to more than {_mib(self.limits.unpacked_bytes)}"
            )


def _write(target, chunks, where, declared, budget):
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with target.open("xb") as out:  # "x": never through an existing file or link
        for chunk in chunks:
            written += len(chunk)
            if declared is not None and written > declared:
                raise UploadRejected(f"{where}: holds more than the {declared} bytes it declares")
            if written > budget.limits.file_bytes:
                raise UploadRejected(f"{where}: over {_mib(budget.limits.file_bytes)} unpacked")
            budget.take(len(chunk), where)
            out.write(chunk)
    if declared is not None and written != declared:
        raise UploadRejected(f"{where}: holds {written} bytes but declares {declared}")


def _open_zip(name, fileobj):
    fileobj.seek(0)
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise UploadRejected(f"{name}: not a readable zip archive ({error})") from None


def _safe_path(raw, where):
    """The entry's path, relative and inside the archive; refuses anything else."""
    if "\\" in raw:
        raise UploadRejected(f"{where}: backslashes are not accepted in paths")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise UploadRejected(f"{where}: absolute paths are not accepted")
    path = PurePosixPath(raw)
    if any(part == ".." for part in path.parts):
        raise UploadRejected(f"{where}: paths with '..' are not accepted")
    if not path.parts or "\x00" in raw:
        raise UploadRejected(f"{where}: not a usable file name")
    return path


def _check_seed_name(name, where):
    path = PurePosixPath(name)
    if "/" in name or "\\" in name or name in {"", ".", ".."} or name.startswith("."):
        raise UploadRejected(f"{where}: not a usable file name")
    if path.suffix.lower() not in IMPORTABLE_SUFFIXES:
        raise UploadRejected(f"{where}: not a seed file (accepted: {allowed_types()})")


def _claim(seen, key, where):
    if key.lower() in seen:
        raise UploadRejected(f"{where}: the upload holds this name twice")
    seen.add(key.lower())


def _size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(0)
    return size


def _mib(amount):
    return f"{amount / MiB:.1f} MiB"
