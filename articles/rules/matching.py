"""Which stories a rule's conditions select.

:func:`matches` is the rule, in Python, over a story's :class:`Facts`. :func:`narrow`
is only a database pre-filter for scanning many stored stories: it applies the cheap
conditions (outlet, topic, ranges) and may let through more than match, never fewer;
the patterns and the final word are always :func:`matches`.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from .patterns import compile_pattern

FACT_FIELDS = (
    "pk",
    "title",
    "excerpt",
    "web_url",
    "original_url",
    "quality",
    "heat",
    "provider__domain",
    "review_state",
    "decided_by",
)


@dataclass
class Facts:
    """What rules look at in one story (loaded in bulk, see :func:`load_facts`)."""

    pk: int
    title: str
    excerpt: str
    web_url: str
    original_url: str | None
    quality: int | None
    heat: int | None
    domain: str
    review_state: str
    decided_by: str
    topic_ids: set


def load_facts(queryset):
    """Facts of every story in ``queryset``: two queries whatever its size."""
    from articles.models import Article

    rows = list(queryset.values_list(*FACT_FIELDS))
    topics = {pk: set() for pk, *_ in rows}
    links = Article.topics.through.objects.all()
    if rows and max(topics) - min(topics) < 4 * len(rows):
        # A scan's batch is a run of ids: a range is far cheaper than 2,000 parameters.
        links = links.filter(article_id__gte=min(topics), article_id__lte=max(topics))
    else:
        links = links.filter(article_id__in=list(topics))
    for article_id, topic_id in links.values_list("article_id", "topic_id"):
        if article_id in topics:
            topics[article_id].add(topic_id)
    return [Facts(*row, topic_ids=topics[row[0]]) for row in rows]


def matches(rule, facts):
    """Whether every condition the rule gives holds for the story."""
    if rule.outlet_domain and not _same_site(facts.domain, rule.outlet_domain):
        return False
    if rule.topic_id and rule.topic_id not in facts.topic_ids:
        return False
    if not _in_range(facts.quality, rule.quality_min, rule.quality_max):
        return False
    if not _in_range(facts.heat, rule.heat_min, rule.heat_max):
        return False
    if not _search(rule.title_pattern, facts.title):
        return False
    if not _search(rule.excerpt_pattern, facts.excerpt):
        return False
    if rule.unless_pattern and (
        _search(rule.unless_pattern, facts.title) or _search(rule.unless_pattern, facts.excerpt)
    ):
        return False
    return _search(rule.url_pattern, facts.web_url) or (
        bool(rule.url_pattern) and _search(rule.url_pattern, facts.original_url)
    )


def narrow(rule, queryset):
    """``queryset`` cut down by the conditions the database can check cheaply."""
    from articles.models import Article

    conditions = Q()
    if rule.outlet_domain:
        domain = rule.outlet_domain.lower()
        conditions &= Q(provider__domain=domain) | Q(provider__domain__endswith=f".{domain}")
    if rule.topic_id:
        tagged = Article.topics.through.objects.filter(
            article_id=OuterRef("pk"), topic_id=rule.topic_id
        )
        conditions &= Q(Exists(tagged))
    for field in ("quality", "heat"):
        low, high = getattr(rule, f"{field}_min"), getattr(rule, f"{field}_max")
        if low is not None:
            conditions &= Q(**{f"{field}__gte": low})
        if high is not None:
            conditions &= Q(**{f"{field}__lte": high})
    return queryset.filter(conditions)


def _same_site(domain, wanted):
    domain, wanted = (domain or "").lower(), wanted.lower()
    return domain == wanted or domain.endswith(f".{wanted}")


def _in_range(value, low, high):
    """A story without the score is outside any range on it."""
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _search(pattern, text):
    compiled = compile_pattern(pattern)
    if compiled is None:
        return True
    if not text:
        return False
    try:
        return compiled.search(text) is not None
    except UnicodeEncodeError:  # a lone surrogate RE2 cannot encode: match the rest
        return compiled.search(text.encode("utf-8", "replace").decode("utf-8")) is not None
