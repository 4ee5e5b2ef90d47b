"""Builders for the jobs tests: zips as editors (and attackers) make them, and the real worker."""

import io
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from articles.tests.helpers import news_text

ROOT = Path(__file__).resolve().parents[2]


def news(n, prefix="story"):
    """A good news file, its story at ``https://example.com/<prefix>-<n>``."""
    return news_text(title=f"Story {n}", url=f"https://example.com/{prefix}-{n}")


def zip_bytes(entries, *, symlinks=()):
    """A zip of ``{name: text or bytes}``; ``symlinks`` names entries stored as links."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def run_worker():
    """Run the real ``db_worker`` until the queue is empty, in this process.

    It closes connections left in a transaction, so tests calling it need a
    transactional database (``django_db(transaction=True)``).
    """
    out = io.StringIO()
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0, stdout=out
    )
    return out.getvalue()


class WorkerDatabase:
    """The test database as another process sees it.

    PostgreSQL's test database is shared as it is. SQLite's is in memory, so it
    is copied to a file for the child processes (``push``) and their writes are
    copied back (``pull``) before the test looks.
    """

    def __init__(self, folder):
        self.sqlite = connection.vendor == "sqlite"
        self.path = Path(folder) / "worker.sqlite3"

    @property
    def url(self):
        if self.sqlite:
            return f"sqlite:///{self.path}"
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"

    def push(self):
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)

    def pull(self):
        if self.sqlite:
            source = sqlite3.connect(self.path)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def start_worker(self, *args, env=None):
        """``manage.py db_worker`` in its own process group (so its helpers die with it)."""
        env = {**os.environ, "DATABASE_URL": self.url, "DJANGO_DEBUG": "1", **(env or {})}
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
