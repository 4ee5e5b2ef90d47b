"""Each outlet's scorecard figures, stored (``OutletFigures``) and kept right.

The admin's list of outlets shows and sorts by them; counted per request they cost
3.4 s at a million stories (docs/performance.md). Each figure's rule stays in
``articles.clusters.scorecards``: a recount runs its one pass over one outlet.

Keeping them right: every write that changes what a figure counts (a story's
outlet, cluster, time, score, state or schedule; a story added or deleted) calls
:func:`mark_stale` with the outlets it touched, including every outlet of the
clusters involved (first to report and repeats depend on the other outlets'
versions). That marks their rows stale inside the write's transaction and, once it
commits, queues the ``recount_outlets`` task, which recounts each stale outlet
under a lock on its row, which marking takes too: a change waiting to commit is
counted after it commits, and one that comes after a count marks the row stale
again and queues another. So a figure lags a
change by the worker's delay (seconds with ``db_worker`` running), and the list
says which rows wait. The share published also changes by itself when a
scheduled time passes; the row keeps that time (``valid_until``), counts as stale
from then, and a recount is queued for it.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.clusters.scorecards import figures_of, next_share_change, outlet_figures
from articles.models import Article

from .models import OutletFigures, Provider

logger = logging.getLogger(__name__)

STORED = (
    "story_total",
    "published_total",
    "active_weeks",
    "stories_per_week",
    "published_share",
    "mean_quality",
    "first_reports",
    "repeats",
    "last_story_at",
)


def outlets_of(stories=(), clusters=()):
    """The outlets of these stories and of every story in theirs and these clusters.

    One query, a UNION of index look-ups (by id, by cluster): an ``OR`` of them
    PostgreSQL answers by reading every story.
    """
    stories, clusters = list(stories), sorted(set(clusters) - {None})
    by_cluster = Article.objects.order_by().values_list("provider_id")
    parts = []
    if stories:
        theirs = Article.objects.filter(pk__in=stories).exclude(cluster=None).values("cluster_id")
        parts.append(Article.objects.filter(pk__in=stories).order_by().values_list("provider_id"))
        parts.append(by_cluster.filter(cluster_id__in=theirs))
    if clusters:
        parts.append(by_cluster.filter(cluster_id__in=clusters))
    if not parts:
        return set()
    return {pk for (pk,) in parts[0].union(*parts[1:]).order_by()}


def mark_stale(providers=(), stories=(), clusters=(), everything=False):
    """These outlets' figures, their stories', and their clusters' await a recount.

    Call inside the transaction that changes what they count; the recount is
    queued once it commits. Two queries when the outlets wait already, three or
    four when some did not.
    """
    now = timezone.now()
    if everything:
        wanted = set(Provider.objects.values_list("pk", flat=True))
    else:
        wanted = set(providers) | outlets_of(stories, clusters)
    wanted.discard(None)
    if not wanted:
        return
    with transaction.atomic(savepoint=False):  # a save in autocommit mode calls too
        # Locked, so a recount under way finishes first and what it cleared reads as fresh:
        # a row read as waiting could otherwise be cleared by a count that missed this write.
        rows = OutletFigures.objects.filter(provider_id__in=wanted).order_by("pk")
        known = dict(rows.select_for_update().values_list("pk", "stale_since"))
        fresh = [pk for pk, since in known.items() if since is None]
        if fresh:
            OutletFigures.objects.filter(pk__in=fresh, stale_since=None).update(stale_since=now)
        if missing := wanted - known.keys():
            OutletFigures.objects.bulk_create(
                [OutletFigures(provider_id=pk, stale_since=now) for pk in sorted(missing)],
                ignore_conflicts=True,
            )
        if fresh or missing:
            transaction.on_commit(queue_recount)


def queue_recount(run_after=None):
    """Queue the task that recounts every stale outlet (never fails the caller's write)."""
    from .tasks import recount_outlets  # the tasks framework must be configured first

    try:
        task = recount_outlets.using(run_after=run_after) if run_after else recount_outlets
        task.enqueue()
    except Exception:
        # The rows stay stale, the list says so, and `recount_outlets` mends them.
        logger.exception("the outlets' recount could not be queued")


def queue_recount_if_due(using="default"):
    """After ``migrate``: queue the recount if any outlet awaits one (none on a new site)."""
    if due().using(using).exists():
        queue_recount()


def due():
    """Outlets awaiting a recount: changed since their count, or past a scheduled time."""
    now = timezone.now()
    return OutletFigures.objects.filter(Q(stale_since__isnull=False) | Q(valid_until__lte=now))


def recount(provider_ids):
    """Count these outlets' figures afresh, one outlet per transaction; return how many."""
    for pk in provider_ids:
        with transaction.atomic():
            # Waits for a write that marked the row and has not committed yet.
            locked = list(OutletFigures.objects.select_for_update().filter(pk=pk).values("pk"))
            if not locked and not Provider.objects.filter(pk=pk).exists():
                continue
            before = OutletFigures.objects.filter(pk=pk).values_list("valid_until", flat=True)
            before = next(iter(before), None)
            now = timezone.now()
            stories = Article.objects.all()
            figures = figures_of(list(outlet_figures(stories, pk, now)), with_share=True)
            values = {name: figures[name] for name in STORED}
            valid_until = next_share_change(stories, pk, now)
            OutletFigures.objects.update_or_create(
                provider_id=pk,
                defaults={
                    **values,
                    "counted_at": now,
                    "stale_since": None,
                    "valid_until": valid_until,
                },
            )
            if valid_until is not None and valid_until != before:
                transaction.on_commit(lambda at=valid_until: queue_recount(run_after=at))
    return len(provider_ids)


def recount_due():
    """Recount every outlet awaiting it (the task's work); return how many."""
    return recount(list(due().order_by("pk").values_list("pk", flat=True)))


def recount_all():
    """Recount every outlet (``manage.py recount_outlets``); return how many."""
    return recount(list(Provider.objects.order_by("pk").values_list("pk", flat=True)))


def request_recount(provider_ids):
    """Mark these outlets stale and queue a recount, whatever their state (the admin's action)."""
    mark_stale(providers=provider_ids)
    transaction.on_commit(queue_recount)
