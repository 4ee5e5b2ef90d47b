"""Builders for the rules and review-queue tests."""

from articles.models import Rule

from .factories import ArticleFactory


def make_rule(action="reject", enabled=True, **conditions):
    """A saved rule, checked the way the admin form checks it."""
    rule = Rule(name=conditions.pop("name", f"{action} rule"), action=action, enabled=enabled)
    for name, value in conditions.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    return rule


def waiting_story(**values):
    """A story nobody has decided yet (what a file without ``published: true`` makes)."""
    return ArticleFactory(published=False, **values)
