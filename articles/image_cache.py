"""Copy remote story images and source logos under ``MEDIA_ROOT`` (``cache_images``).

Guarantees: only rows without a local copy are fetched (a re-run skips the rest);
each distinct URL is downloaded once, however many stories use it, and a URL some
other row already has a copy of is linked without downloading; a failure is
recorded on the row (``cache_error``) and reported, and the run goes on. Downloads
and Pillow work run in threads; every database write happens in the calling
thread. The source's own fields (``url``, ``width``, ``height``, ``is_cached``,
``source_images``) are never written.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from images.copying import Options, StoredImage, copy_image, run_copies
from newsroom.http_urls import http_url
from providers.logos import MAX_LOGO_SIDE, logo_to_copy, write_logo_thumbnails
from providers.models import Provider

from .models import ArticleImage
from .pictures import STORY_WIDTHS, write_story_thumbnails
from .reports import CacheReport

# ``url__in`` lists are kept short enough for SQLite's parameter limit.
LOOKUP_CHUNK = 500


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
    pending = ArticleImage.objects.filter(local_file="").order_by("pk")
    by_url = {}
    for pk, url, cache_error in pending.values_list("pk", "url", "cache_error"):
        if not http_url(url) or (skip_failed and cache_error):
            report.skipped += 1
        else:
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
        url = logo_to_copy(provider)
        if url is None or (provider.cached_logo and provider.cached_logo_url == url):
            report.skipped += 1
        elif skip_failed and provider.cached_logo_error:
            report.skipped += 1
        else:
            jobs.append(Job(url=url, kind="logo", ids=[provider.pk]))
    return jobs


def run_jobs(jobs, options, concurrency):
    """Yield ``(job, stored, error)`` as copies finish; at most ``concurrency`` at once."""
    return run_copies(jobs, lambda job: copy_job(job, options), concurrency)


def copy_job(job, options):
    """Download and store one job's image with the thumbnails its kind needs (no queries)."""
    if job.kind == "logo":
        return copy_image(job.url, options, MAX_LOGO_SIDE, write_logo_thumbnails)
    return copy_image(job.url, options, max(STORY_WIDTHS), write_story_thumbnails)


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
