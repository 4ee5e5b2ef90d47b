"""What a running job reports: its progress, written as it goes and by a heartbeat thread.

The work often runs inside one long transaction (a dry run, a strict import); a
write of the job row from there would stay invisible until the end and hold the
row's lock. So progress is written directly only outside a transaction, and a
thread with its own database connection also writes it, with the time, every
few seconds, whatever the work is doing.
"""

import logging
import threading
import time

from django.db import DatabaseError, connection, connections
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 2000
"""Problems kept in a job's report; beyond this only their number."""


class Progress:
    def __init__(self, job_id=None, interval=1.0, display_name=str):
        self.job_id = job_id
        self.interval = interval
        self.done = 0
        self.total = None
        self.problems = []
        self.more_problems = 0
        self.display_name = display_name
        self.written_at = 0.0

    def update(self, done, total):
        self.done, self.total = done, total
        now = time.monotonic()
        if (
            self.job_id
            and not connection.in_atomic_block
            and now - self.written_at >= self.interval
        ):
            self.written_at = now
            write(self.job_id, self)

    def problem(self, name, reason):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append([self.display_name(name), reason])
        else:
            self.more_problems += 1


class Heartbeat(threading.Thread):
    """Writes ``progress`` and ``heartbeat_at`` on the job's row until stopped."""

    def __init__(self, job_id, progress, interval):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.progress = progress
        self.interval = interval
        self.stopped = threading.Event()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.join()

    def run(self):
        try:
            while not self.stopped.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()

    def beat(self):
        try:
            write(self.job_id, self.progress)
        except DatabaseError as error:
            # A busy SQLite file, a dropped connection: the next beat tries again.
            logger.info("job %s: heartbeat not written: %s", self.job_id, error)


def write(job_id, progress):
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
        heartbeat_at=timezone.now(), done=progress.done, total=progress.total
    )
