"""Where local copies and thumbnails live under ``MEDIA_ROOT``, and how they are written.

Every name is derived from the SHA-256 of the content, so the same image fetched
twice (or for two stories) is stored once, and a thumbnail's name can be worked out
from its original's name without asking the storage whether it exists.
"""

import hashlib
import re
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

HASH_RE = re.compile(r"([0-9a-f]{64})")


def content_hash(data):
    return hashlib.sha256(data).hexdigest()


def original_name(digest, extension):
    """``images/ab/abcdef….jpg``: two-letter folders keep directories small."""
    return f"images/{digest[:2]}/{digest}.{extension}"


def digest_of(name):
    """The content hash inside a stored file's name, or None for a foreign name."""
    match = HASH_RE.match(PurePosixPath(name or "").name)
    return match.group(1) if match else None


def save_once(name, data, storage=None):
    """Store ``data`` under ``name`` unless a file is already there; return the name.

    Content-addressed names make an existing file the same file, so it is kept.
    ``data`` may be a function making the bytes, called only when they are needed.
    """
    storage = storage or default_storage
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(data() if callable(data) else data))
