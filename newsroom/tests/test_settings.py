"""Settings read from the environment: production refuses to guess, HTTPS switches are opt-in.

Each case loads ``newsroom.settings`` in a fresh interpreter with exactly the
environment given, as gunicorn or ``manage.py`` would on a server.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from articles.models import Article, Topic
from articles.search import search_articles
from newsroom.pgcursor import planned_per_value

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DOC = ROOT / "docs" / "deploy.md"


def run(code_or_args, env):
    """Run Python with only ``env`` (plus PATH) in the environment; return the finished process."""
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name, env):
    process = run(f"from django.conf import settings; print(repr(settings.{name}))", env)
    assert process.returncode == 0, process.stderr
    return process.stdout.strip()


def documented_production_env():
    """The variables of the ``# production.env`` block in docs/deploy.md."""
    block = re.search(r"```sh\n# production\.env\n(.*?)```", DEPLOY_DOC.read_text(), re.S)
    assert block, f"{DEPLOY_DOC} has no ```sh block starting with '# production.env'"
    lines = [line for line in block.group(1).splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


class TestNoSecretNoStart:
    def test_the_test_runner_is_no_excuse(self):
        """Without a secret or debug, settings refuse to load even while pytest runs."""
        process = run("import newsroom.settings", {"PYTEST_VERSION": "9.2.0"})
        assert process.returncode != 0
        assert "Set DJANGO_SECRET_KEY" in process.stderr

    def test_debug_brings_a_development_secret(self):
        """DJANGO_DEBUG=1 alone is enough to start, with a key marked insecure."""
        assert "insecure" in setting("SECRET_KEY", {"DJANGO_DEBUG": "1"})

    def test_a_bad_number_is_named(self):
        """A number setting that is not a number names its variable."""
        process = run(
            "import newsroom.settings", {"DJANGO_DEBUG": "1", "DJANGO_SECURE_HSTS_SECONDS": "1y"}
        )
        assert process.returncode != 0
        assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number, not '1y'" in process.stderr


class TestProxyHeader:
    def test_not_trusted_by_default(self):
        """Nobody vouches for X-Forwarded-Proto unless the operator says a proxy sets it."""
        assert setting("SECURE_PROXY_SSL_HEADER", {"DJANGO_DEBUG": "1"}) == "None"

    def test_opt_in(self):
        assert setting(
            "SECURE_PROXY_SSL_HEADER", {"DJANGO_DEBUG": "1", "DJANGO_SECURE_PROXY_SSL_HEADER": "1"}
        ) == repr(("HTTP_X_FORWARDED_PROTO", "https"))

    @pytest.mark.django_db
    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_a_direct_client_cannot_claim_https(self, client):
        """With the default settings, a forged header does not make a plain request secure."""
        response = client.get("/", headers={"x-forwarded-proto": "https"})
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    @pytest.mark.django_db
    @override_settings(
        SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    )
    def test_the_proxy_is_believed_once_trusted(self, client):
        assert client.get("/", headers={"x-forwarded-proto": "https"}).status_code == 200


class TestCaches:
    def test_redis_serves_every_cache_when_there_is_one(self):
        backends = setting("CACHES", {"DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"})
        assert backends.count("RedisCache") == 2
        assert "LocMemCache" not in backends and "DatabaseCache" not in backends


class TestDeployCheck:
    def test_documented_production_environment_passes(self):
        """``check --deploy`` finds nothing with the environment docs/deploy.md gives."""
        env = documented_production_env()
        assert env["DJANGO_DEBUG"] == "0"
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
        process = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], env)
        assert process.returncode == 0, process.stderr + process.stdout
        assert "no issues" in process.stdout

    def test_it_would_catch_a_gap(self):
        """The same check warns once an HTTPS switch is missing (so the test above can fail)."""
        env = documented_production_env()
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
        del env["DJANGO_SECURE_SSL_REDIRECT"]
        process = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
        assert process.returncode != 0
        assert "security.W008" in process.stderr + process.stdout


class TestPreparedStatements:
    """PostgreSQL binds parameters on the server and prepares what a connection repeats."""

    POSTGRES = {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://newsroom@127.0.0.1:5432/newsroom"}

    def options(self, **env):
        return setting("DATABASES['default']['OPTIONS']", {**self.POSTGRES, **env})

    def test_on_by_default(self):
        options = self.options()
        assert "'server_side_binding': True" in options
        assert "'prepare_threshold': 2" in options
        assert "PreparingCursor" in options

    def test_the_threshold_is_read(self):
        assert "'prepare_threshold': 7" in self.options(DATABASE_PREPARE_THRESHOLD="7")

    def test_empty_prepares_nothing(self):
        """As Django's default: bound on the client (a pooler that cannot keep statements)."""
        options = self.options(DATABASE_PREPARE_THRESHOLD="")
        assert "server_side_binding" not in options
        assert "prepare_threshold" not in options
        assert "jit=off" in options

    def test_a_bad_threshold_is_named(self):
        process = run(
            "import newsroom.settings", {**self.POSTGRES, "DATABASE_PREPARE_THRESHOLD": "x"}
        )
        assert process.returncode != 0
        assert "DATABASE_PREPARE_THRESHOLD must be a whole number, not 'x'" in process.stderr

    def test_sqlite_is_untouched(self):
        options = setting("DATABASES['default']['OPTIONS']", {"DJANGO_DEBUG": "1"})
        assert "prepare_threshold" not in options

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements")
    @pytest.mark.django_db
    def test_a_repeated_statement_is_prepared_on_the_server(self):
        """The third run of a query on a connection uses a statement PostgreSQL keeps."""
        query = Topic.objects.filter(slug="prepared-statement-probe")
        for _ in range(3):
            list(query.all())  # a new queryset each time: no result cache
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%articles_topic%slug%"],
            )
            assert cursor.fetchone()[0] == 1

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statements")
    @pytest.mark.django_db
    def test_search_and_capped_counts_are_never_prepared(self):
        """Planned for their values each time (newsroom/pgcursor.py): a generic plan chosen
        for a rare word read a common word's matches 30 times slower, one for a capped
        count walked the wrong index."""
        for _ in range(4):
            list(search_articles(Article.objects.all(), "prepared"))
            Article.objects.filter(type="video")[:1001].count()
            list(Article.objects.filter(slug="prepared-probe"))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT"
                " count(*) FILTER (WHERE statement LIKE %s),"
                " count(*) FILTER (WHERE statement LIKE %s),"
                " count(*) FILTER (WHERE statement LIKE %s)"
                " FROM pg_prepared_statements",
                ["%to_tsquery(%", "SELECT COUNT(*) FROM (%", '%"articles_article"."slug" = $1%'],
            )
            assert cursor.fetchone() == (0, 0, 1)


def test_statements_planned_per_value_are_recognised():
    assert planned_per_value("SELECT 1 WHERE v @@ websearch_to_tsquery(%s::regconfig, %s)")
    assert planned_per_value('SELECT COUNT(*) FROM (SELECT "a"."id" FROM "a" LIMIT 1001) counted')
    assert not planned_per_value('SELECT COUNT(*) FROM (SELECT DISTINCT "a"."id" FROM "a") sub')
    assert not planned_per_value('SELECT "articles_article"."id" FROM "articles_article"')
