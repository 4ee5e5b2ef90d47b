"""Download, verify and store remote images in threads; every failure becomes a reason.

Nothing here touches the database: ``run_copies`` yields each job with its stored
image or the one-line reason it failed, and the caller records it.
"""

import concurrent.futures
from dataclasses import dataclass

from django.conf import settings

from .fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    FetchError,
    fetch_image,
    is_public_address,
)
from .files import content_hash, original_name, save_once
from .processing import FORMATS, ImageRejected, normalized, open_image, upright_size


@dataclass(frozen=True)
class Options:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    allow_private_hosts: bool = False

    @classmethod
    def from_settings(cls, **overrides):
        values = {
            "timeout": getattr(settings, "IMAGE_CACHE_TIMEOUT", DEFAULT_TIMEOUT),
            "max_bytes": getattr(settings, "IMAGE_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES),
            "max_redirects": getattr(settings, "IMAGE_CACHE_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS),
            "allow_private_hosts": getattr(settings, "IMAGE_CACHE_ALLOW_PRIVATE_HOSTS", False),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int
    height: int


def copy_image(url, options, largest, write_thumbnails):
    """Download, verify and store one image; return a ``StoredImage``.

    ``write_thumbnails(picture, digest)`` writes the caller's thumbnails of the
    normalized picture, and may refuse it (``ImageRejected``) before writing
    anything; it runs before the original is stored, so a refused image leaves no
    file behind. ``largest`` is the biggest side a thumbnail needs (a JPEG then
    decodes at a reduced scale).
    """
    allow = (lambda _address: True) if options.allow_private_hosts else is_public_address
    fetched = fetch_image(
        url,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        max_redirects=options.max_redirects,
        allow_address=allow,
    )
    with open_image(fetched.data) as image:
        width, height = upright_size(image)
        extension = FORMATS[image.format]
        picture = normalized(image, largest)
    digest = content_hash(fetched.data)
    write_thumbnails(picture, digest)
    name = save_once(original_name(digest, extension), fetched.data)
    return StoredImage(name=name, width=width, height=height)


def run_copies(jobs, copy, concurrency):
    """Yield ``(job, stored, error)`` as ``copy(job)`` calls finish, ``concurrency`` at once.

    ``error`` is a one-line reason, whatever went wrong with that image: one image
    never ends the run.
    """
    jobs = iter(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        running = {}
        for job in jobs:
            running[pool.submit(copy, job)] = job
            if len(running) >= concurrency:
                break
        while running:
            finished, _ = concurrent.futures.wait(
                running, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in finished:
                job = running.pop(future)
                try:
                    yield job, future.result(), None
                except (FetchError, ImageRejected) as error:
                    yield job, None, str(error)
                except Exception as error:  # noqa: BLE001 - one image must not end the run
                    yield job, None, f"unexpected error: {type(error).__name__}: {error}"
                next_job = next(jobs, None)
                if next_job is not None:
                    running[pool.submit(copy, next_job)] = next_job
