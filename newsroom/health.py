"""``/health/``: the answer a load balancer polls before it sends a server traffic.

It checks what every page needs, the database and the cache, and answers 503 with
what failed, so a server that lost either is taken out of rotation. It is never
cached and reveals nothing but "ok" or the name of the failing part.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


CHECKS = {"database": _database, "cache": _cache}


@never_cache
def health(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a part takes the server out of rotation
            logger.exception("health check %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failed", **results}, status=200 if healthy else 503
    )
