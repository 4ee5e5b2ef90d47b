"""The jobs app's settings, with their defaults (see docs/jobs.md)."""

from django.conf import settings


def heartbeat_seconds():
    """How often a running job writes its progress and a sign of life."""
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 2))


def stale_seconds():
    """Silence after which a running job's worker is taken for dead."""
    return float(getattr(settings, "JOBS_STALE_SECONDS", 300))
