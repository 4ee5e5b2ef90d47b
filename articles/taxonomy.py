"""The public topic taxonomy as a tree, with story counts where a page shows them.

Every public page's navigation and the ``/topics/`` index read it, so it is one
query whatever the number of topics, and with the page cache on it is built once
per generation (``newsroom.pagecache.kept_for_generation``). A topic's count is
of the published stories carrying it, counted up to the lists' cap (``paging``)
(past it the page says "more than"). Counting reads up to that many stories per
topic, so only the topics a page shows a count for are counted: every topic on
``/topics/``, a topic's subtopics on its page, none for the navigation alone
(``counted``). A topic whose parent the public may not see stands at the top; a
loop of parents (possible in hand-edited files) is cut where it closes.
"""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When

from newsroom.pagecache import kept_for_generation

from .models import Article, Topic
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
    stories: int | None
    """Public stories carrying it (counted up to the cap); None where not counted."""
    parent_id: int | None = None
    children: list = field(default_factory=list)

    @property
    def rough_count(self):
        return capped(self.stories, CappedPaginator.cap)

    def get_absolute_url(self):
        return Topic(slug=self.slug).get_absolute_url()


@dataclass
class Taxonomy:
    roots: list
    by_id: dict

    def node(self, topic):
        """The node of ``topic`` (a ``Topic``), or None when the public may not see it."""
        return self.by_id.get(topic.pk)

    def parent_of(self, node):
        return self.by_id.get(node.parent_id)


ALL_TOPICS = "all"
"""``counted=ALL_TOPICS``: count every topic's stories (the ``/topics/`` index)."""


def public_taxonomy(request=None, counted=None):
    """The taxonomy, built once per request (the page's views and its navigation share it).

    ``counted`` says whose stories to count: None (no one, the navigation's
    need), ``ALL_TOPICS``, or a topic's id (its subtopics, for its page). A view
    asks before the navigation renders, so the navigation reuses its tree.
    """
    if request is not None and hasattr(request, "public_taxonomy"):
        return request.public_taxonomy
    taxonomy = kept_for_generation(
        f"taxonomy:{counted}", lambda: build_taxonomy(counted)
    ) or build_taxonomy(counted)
    if request is not None:
        request.public_taxonomy = taxonomy
    return taxonomy


def build_taxonomy(counted=None):
    rows = (
        Topic.objects.public()
        .annotate(stories=_story_count(counted))
        .order_by("name")
        .values_list("pk", "name", "slug", "stories", "parent_id")
    )
    nodes = {row[0]: TopicNode(*row) for row in rows}
    return Taxonomy(roots=_tree(nodes), by_id=nodes)


def _story_count(counted):
    """The ``stories`` column: capped counts for the topics ``counted`` names, else NULL."""
    if counted is None:
        return Value(None, output_field=IntegerField())
    stories = Article.objects.published().filter(topics=OuterRef("pk")).order_by().values("pk")
    count = CappedCount(stories[: CappedPaginator.cap + 1])
    if counted == ALL_TOPICS:
        return count
    # CASE runs the count's subquery only for the rows it names (SQLite and PostgreSQL).
    return Case(When(Q(parent_id=counted), then=count), output_field=IntegerField())


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
