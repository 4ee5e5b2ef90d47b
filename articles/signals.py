"""Keep the stored search vector current where the database triggers cannot.

The triggers of migration 0003 follow a story's own columns (title, excerpt,
outlet) and renames of outlets and topics. What they do not see, and is
handled here: a story created through the ORM (its vector is computed after
the INSERT, once it has an id), and changes to a story's topics, which the ORM
writes to the link table.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import Article, Topic
from .search import update_search_vectors


@receiver(post_save, sender=Article, dispatch_uid="article_search_on_create")
def article_created(sender, instance, created, using, **kwargs):
    if created:
        update_search_vectors([instance.pk], using=using)


@receiver(m2m_changed, sender=Article.topics.through, dispatch_uid="article_search_on_topics")
def topics_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action == "pre_clear" and reverse:
        # topic.articles.clear(): remember who loses the topic before the links go.
        instance._search_cleared = list(instance.articles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove") and pk_set:
        update_search_vectors(pk_set if reverse else [instance.pk], using=using)
    elif action == "post_clear":
        cleared = instance.__dict__.pop("_search_cleared", []) if reverse else [instance.pk]
        update_search_vectors(cleared, using=using)


@receiver(pre_delete, sender=Topic, dispatch_uid="topic_search_before_delete")
def topic_deleting(sender, instance, **kwargs):
    instance._search_articles = list(instance.articles.values_list("pk", flat=True))


@receiver(post_delete, sender=Topic, dispatch_uid="topic_search_after_delete")
def topic_deleted(sender, instance, using, **kwargs):
    update_search_vectors(instance.__dict__.pop("_search_articles", []), using=using)
