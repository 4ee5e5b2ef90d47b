"""``run_copies``: whatever one copy raises, it becomes that job's reason and the rest go on."""

from images.copying import run_copies
from images.fetch import FetchError


def copy(job):
    if job == "fetch":
        raise FetchError("HTTP 404 Not Found")
    if job == "bug":
        raise RuntimeError("something nobody foresaw")
    return f"stored {job}"


class TestRunCopies:
    def test_every_job_comes_back_once_with_its_result_or_reason(self):
        jobs = ["a", "fetch", "bug", "b"]
        results = {job: (stored, error) for job, stored, error in run_copies(jobs, copy, 2)}
        assert results == {
            "a": ("stored a", None),
            "fetch": (None, "HTTP 404 Not Found"),
            "bug": (None, "unexpected error: RuntimeError: something nobody foresaw"),
            "b": ("stored b", None),
        }
