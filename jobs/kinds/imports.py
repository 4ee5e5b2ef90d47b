"""Import uploaded seed files: unpack them into a fresh folder and run ``import_articles``'s engine.

The same guarantees as the command, since it is the same call: each file whole or
not at all, unchanged files skipped, ``dry_run`` ("check only") and ``strict``.
"""

import io
import tempfile
from pathlib import Path

from articles.ingest.importer import import_paths

from .. import registry
from ..uploads import Limits, UploadRejected, unpack


@registry.register(
    "import_articles",
    label="Import uploaded files",
    unit="files",
    permission="jobs.import_articles",
    needs_upload=True,
)
def run_import(job, progress):
    with tempfile.TemporaryDirectory(prefix=f"newsroom-job-{job.pk}-") as folder:
        uploaded = [(file.name, io.BytesIO(bytes(file.data))) for file in job.files.all()]
        try:
            unpack(uploaded, folder, Limits.from_settings())
        except UploadRejected as error:
            raise registry.JobError(f"nothing was imported: {error}") from None
        root = Path(folder)
        progress.display_name = lambda name: _relative(name, root)
        report = import_paths(
            [folder],
            dry_run=job.options.get("dry_run", False),
            strict=job.options.get("strict", False),
            # Parsed in this process: the job's heartbeat thread makes forking
            # parser processes unsafe (a lock held at fork time stays held).
            workers=1,
            on_problem=progress.problem,
            on_progress=progress.update,
        )
    return registry.Outcome(
        summary=report.summary(),
        failed=report.failed,
        details={"linked": report.linked},
    )


def _relative(name, root):
    try:
        return str(Path(name).relative_to(root))
    except ValueError:
        return str(name)
