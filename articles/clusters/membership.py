"""Which clusters a set of stories belongs to: the one query the refreshers share."""

from django.apps import apps as django_apps


def clusters_of(article_ids, apps=django_apps):
    """The ids of the clusters these stories are in (stories in none are left out)."""
    Article = apps.get_model("articles", "Article")
    stories = Article.objects.filter(pk__in=list(article_ids)).exclude(cluster=None)
    return set(stories.values_list("cluster_id", flat=True))
