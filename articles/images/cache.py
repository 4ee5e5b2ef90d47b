"""Copy remote story images and source logos under ``MEDIA_ROOT`` (``cache_images``).

Guarantees: only rows without a local copy are fetched (a re-run skips the rest);
each distinct URL is downloaded once, however many stories use it, and a URL some
other row already has a copy of is linked without downloading; a failure is
recorded on the row (``cache_error``) and reported, and the run goes on. Downloads
and Pillow work run in threads; every database write happens in the calling
thread. The source's own fields (``url``, ``width``, ``height``, ``is_cached``,
``source_images``) are never written.
"""

import concurrent.futures
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.models import ArticleImage
from articles.reports import CacheReport
from providers.logos import MAX_LOGO_SIDE, write_logo_thumbnails
from providers.models import Provider

from .fetch import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_TIMEOUT,
    FetchError,
    fetch_image,
    is_public_address,
)
from .files import STORY_WIDTHS, content_hash, original_name, save_once, story_thumbnail_name
from .processing import (
    FORMATS,
    ImageRejected,
    normalized,
    open_image,
    upright_size,
    width_thumbnail,
)

HTTP_URL = Q(url__istartswith="http://") | Q(url__istartswith="https://")
# ``url__in`` lists are kept short enough for SQLite's parameter limit.
LOOKUP_CHUNK = 500


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


@dataclass
class Job:
    """One URL to copy, and the rows that want it."""

    url: str
    kind: str  # "story" or "logo"
    ids: list = field(default_factory=list)


def cache_images(
    *, limit=None, concurrency=4, options=None, skip_failed=False, on_failure=None, on_progress=None
):
    """Copy what is not cached yet; return a ``CacheReport``.

    ``limit`` caps the downloads of this run; ``on_failure(url, reason)`` and
    ``on_progress(done, total)`` report as the run goes.
    """
    options = options or Options.from_settings()
    report = CacheReport()
    story_jobs = pending_story_jobs(report, skip_failed)
    logo_jobs = pending_logo_jobs(report, skip_failed)
    jobs = story_jobs + logo_jobs
    if limit is not None and len(jobs) > limit:
        report.left = len(jobs) - limit
        jobs = jobs[:limit]
    done = 0
    for job, stored, error in run_jobs(jobs, options, concurrency):
        if error is None:
            record_success(job, stored)
            report.cached += len(job.ids)
        else:
            record_failure(job, error)
            report.failed += len(job.ids)
            report.problems.append((job.url, error))
            if on_failure:
                on_failure(job.url, error)
        done += 1
        if on_progress:
            on_progress(done, len(jobs))
    return report


def pending_story_jobs(report, skip_failed):
    """Story images to download, one job per URL; counts and links what needs no download."""
    report.skipped += ArticleImage.objects.exclude(local_file="").count()
    report.skipped += ArticleImage.objects.filter(local_file="").exclude(HTTP_URL).count()
    pending = ArticleImage.objects.filter(HTTP_URL, local_file="")
    if skip_failed:
        failed = pending.exclude(cache_error="")
        report.skipped += failed.count()
        pending = pending.filter(cache_error="")
    by_url = {}
    for pk, url in pending.order_by("pk").values_list("pk", "url"):
        by_url.setdefault(url, []).append(pk)
    report.cached += link_known_copies(by_url)
    return [Job(url=url, kind="story", ids=ids) for url, ids in by_url.items()]


def link_known_copies(by_url):
    """Give rows the copy another row already has of the same URL; drop them from ``by_url``."""
    linked = 0
    urls = list(by_url)
    for start in range(0, len(urls), LOOKUP_CHUNK):
        known = (
            ArticleImage.objects.filter(url__in=urls[start : start + LOOKUP_CHUNK])
            .exclude(local_file="")
            .values_list("url", "local_file", "local_width", "local_height")
        )
        for url, name, width, height in known:
            if url in by_url:
                job = Job(url=url, kind="story", ids=by_url.pop(url))
                record_success(job, StoredImage(name, width, height))
                linked += len(job.ids)
    return linked


def pending_logo_jobs(report, skip_failed):
    """Outlets without an uploaded logo whose largest remote source image is not copied yet."""
    jobs = []
    providers = Provider.objects.filter(logo="").exclude(source_images=[]).order_by("pk")
    report.skipped += Provider.objects.exclude(logo="").exclude(source_images=[]).count()
    fields = ("pk", "source_images", "cached_logo", "cached_logo_url", "cached_logo_error")
    for provider in providers.only(*fields):
        url = largest_remote_image(provider)
        if url is None or (provider.cached_logo and provider.cached_logo_url == url):
            report.skipped += 1
        elif skip_failed and provider.cached_logo_error:
            report.skipped += 1
        else:
            jobs.append(Job(url=url, kind="logo", ids=[provider.pk]))
    return jobs


def largest_remote_image(provider):
    images = provider.remote_logo_images()
    if not images:
        return None
    best = max(images, key=lambda image: _area(image))
    return best["url"]


def _area(image):
    width, height = image.get("width"), image.get("height")
    if isinstance(width, int) and isinstance(height, int):
        return width * height
    return 0


def run_jobs(jobs, options, concurrency):
    """Yield ``(job, stored, error)`` as downloads finish; at most ``concurrency`` at once."""
    jobs = iter(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        running = {}
        for job in jobs:
            running[pool.submit(copy_image, job.url, job.kind, options)] = job
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
                next_job = next(jobs, None)
                if next_job is not None:
                    running[pool.submit(copy_image, next_job.url, next_job.kind, options)] = (
                        next_job
                    )


def copy_image(url, kind, options):
    """Download, verify and store one image with its thumbnails (no database access)."""
    allow = (lambda _address: True) if options.allow_private_hosts else is_public_address
    fetched = fetch_image(
        url,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        max_redirects=options.max_redirects,
        allow_address=allow,
    )
    largest = MAX_LOGO_SIDE if kind == "logo" else max(STORY_WIDTHS)
    with open_image(fetched.data) as image:
        width, height = upright_size(image)
        extension = FORMATS[image.format]
        picture = normalized(image, largest)
    digest = content_hash(fetched.data)
    name = save_once(original_name(digest, extension), fetched.data)
    if kind == "logo":
        write_logo_thumbnails(picture, digest)
    else:
        for thumb_width in STORY_WIDTHS:
            save_once(
                story_thumbnail_name(digest, thumb_width),
                lambda w=thumb_width: width_thumbnail(picture, w),
            )
    return StoredImage(name=name, width=width, height=height)


def record_success(job, stored):
    values = {"width": stored.width, "height": stored.height, "at": timezone.now()}
    if job.kind == "logo":
        Provider.objects.filter(pk__in=job.ids).update(
            cached_logo=stored.name,
            cached_logo_url=job.url,
            cached_logo_width=values["width"],
            cached_logo_height=values["height"],
            cached_logo_at=values["at"],
            cached_logo_error="",
        )
    else:
        ArticleImage.objects.filter(pk__in=job.ids).update(
            local_file=stored.name,
            local_width=values["width"],
            local_height=values["height"],
            cached_at=values["at"],
            cache_error="",
        )


def record_failure(job, error):
    if job.kind == "logo":
        # cached_logo_url stays with the copy we have (if any), not the failed URL.
        Provider.objects.filter(pk__in=job.ids).update(cached_logo_error=f"{job.url}: {error}")
    else:
        ArticleImage.objects.filter(pk__in=job.ids).update(cache_error=error)
