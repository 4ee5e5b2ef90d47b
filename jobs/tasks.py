"""The one Django task behind every job: the backend (database or RQ) only carries a job id."""

from django.tasks import task

from . import runner


@task()
def run_job(job_id):
    return runner.run(job_id)
