"""The public topic taxonomy as a tree: one query, kept per page-cache generation.

Every public page's navigation reads it, so it is one query whatever the number
of topics, and with the page cache on it is built once per generation
(``newsroom.pagecache.kept_for_generation``). The tree holds names only: story
counts cost a capped count per topic (40 topics at a million stories: 0.7 s),
so only the pages that show them count, in one more query and only for the
topics they show (:func:`counted_taxonomy` for ``/topics/``,
:func:`counted_nodes` for a topic's subtopics). A topic's count is of the
published stories carrying it, counted up to the lists' cap (``paging``) (past
it the page says "more than"). A topic whose parent the public may not see
stands at the top; a loop of parents (possible in hand-edited files) is cut
where it closes.
"""

import copy
from dataclasses import dataclass, field, replace

from django.db.models import IntegerField, OuterRef, Subquery
from django.utils import timezone

from newsroom.pagecache import kept_or_computed
from newsroom.precompiled import precompiled_rows
from newsroom.reversing import quick_reverse

from .models import Article, Topic, public_rows
from .paging import CappedPaginator, capped


class CappedCount(Subquery):
    """How many rows a subquery returns, counting at most its slice."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped_count)"
    output_field = IntegerField()


@dataclass
class TopicNode:
    id: int
    name: str
    slug: str
    parent_id: int | None = None
    children: list = field(default_factory=list)
    stories: int | None = None
    """Counted only for the pages that show it; None in the navigation's tree."""

    @property
    def rough_count(self):
        return capped(self.stories, CappedPaginator.cap)

    def get_absolute_url(self):
        return quick_reverse("articles:topic", self.slug)  # as Topic.get_absolute_url


@dataclass
class Taxonomy:
    roots: list
    by_id: dict

    def node(self, topic):
        """The node of ``topic`` (a ``Topic``), or None when the public may not see it."""
        return self.by_id.get(topic.pk)

    def parent_of(self, node):
        return self.by_id.get(node.parent_id)


def public_taxonomy(request=None):
    """The taxonomy, built once per request (the page's views and its navigation share it)."""
    if request is not None and hasattr(request, "public_taxonomy"):
        return request.public_taxonomy
    taxonomy = kept_or_computed("taxonomy", build_taxonomy)
    if request is not None:
        request.public_taxonomy = taxonomy
    return taxonomy


def build_taxonomy():
    rows = public_rows("taxonomy", public_topic_rows, {"now": timezone.now()})
    nodes = {row[0]: TopicNode(*row) for row in rows}
    return Taxonomy(roots=_tree(nodes), by_id=nodes)


def public_topic_rows(now):
    """Each public topic's id, name, slug and parent, by name."""
    public = Topic.objects.public(now).order_by("name")
    return public.values_list("pk", "name", "slug", "parent_id")


def story_counts(topic_ids):
    """``{topic id: published stories carrying it}``, each counted up to the cap: one query."""
    params = {"now": timezone.now(), "ids": list(topic_ids)}
    if not params["ids"]:
        return {}
    return dict(precompiled_rows("topic-counts", _counts_at, params))


def _counts_at(now, ids):
    stories = Article.objects.published(now).filter(topics=OuterRef("pk")).order_by().values("pk")
    counted = Topic.objects.filter(pk__in=ids).annotate(
        stories=CappedCount(stories[: CappedPaginator.cap + 1])
    )
    return counted.values_list("pk", "stories")


def counted_taxonomy(request=None):
    """The whole tree with every topic's count (``/topics/``); the counts kept like the tree."""
    taxonomy = copy.deepcopy(public_taxonomy(request))

    counts = kept_or_computed("taxonomy-counts", lambda: story_counts(taxonomy.by_id))
    for node in taxonomy.by_id.values():
        node.stories = counts.get(node.id, 0)
    return taxonomy


def counted_nodes(nodes):
    """Copies of ``nodes`` (no children) with their counts; no query when there are none."""
    if not nodes:
        return []
    counts = story_counts(node.id for node in nodes)
    return [replace(node, children=[], stories=counts.get(node.id, 0)) for node in nodes]


def _tree(nodes):
    """Hang each node under its public parent; return the roots, loops cut where they close."""
    roots = []
    for node in nodes.values():
        if node.parent_id not in nodes or _in_a_loop(node, nodes):
            node.parent_id = None
            roots.append(node)
        else:
            nodes[node.parent_id].children.append(node)
    return roots


def _in_a_loop(node, nodes):
    seen = set()
    ancestor = nodes.get(node.parent_id)
    while ancestor is not None and ancestor.id not in seen:
        if ancestor.id == node.id:
            return True
        seen.add(ancestor.id)
        ancestor = nodes.get(ancestor.parent_id)
    return False
