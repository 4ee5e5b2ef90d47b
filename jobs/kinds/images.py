"""Copy remote story images and outlet logos: ``cache_images``'s engine, as a job."""

from articles.image_cache import cache_images
from images.copying import Options

from .. import registry


@registry.register(
    "cache_images", label="Cache images", unit="images", permission="jobs.cache_images"
)
def run_cache_images(job, progress):
    report = cache_images(
        limit=job.options.get("limit"),
        options=Options.from_settings(),
        skip_failed=job.options.get("skip_failed", False),
        on_failure=progress.problem,
        on_progress=progress.update,
    )
    return registry.Outcome(summary=report.summary(), failed=report.failed)
