"""A story's versions in the admin: the list, a comparison of any two, and revert.

Pages cost a fixed number of queries whatever the number of versions: the list
reads one page of versions and the one before it (for "what changed").
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import history
from ..models import Article

PAGE_SIZE = 50


def urls(model_admin):
    site = model_admin.admin_site

    def view(function):
        return site.admin_view(lambda request, **kwargs: function(request, model_admin, **kwargs))

    return [
        path("<path:object_id>/versions/", view(versions_view), name="articles_article_versions"),
        path(
            "<path:object_id>/versions/compare/",
            view(compare_view),
            name="articles_article_versions_compare",
        ),
        path(
            "<path:object_id>/versions/<int:history_id>/revert/",
            view(revert_view),
            name="articles_article_version_revert",
        ),
    ]


def record_form_version(request, form, formsets, change):
    """The story form's version, once the story, its topics and its inlines are saved."""
    kind = history.CHANGED if change else history.CREATED
    reason = form_reason(form, formsets, change)
    history.record_versions([form.instance.pk], request.user, reason=reason, kind=kind)


def form_reason(form, formsets, change):
    """ "Changed in the story form: " and what changed, the inlines (images, related
    stories, corrections) named too: the version keeps their story's topics, not them."""
    if not change:
        return "Added in the story form"
    labels = [str(form.fields[name].label or name) for name in form.changed_data]
    labels += [
        str(formset.model._meta.verbose_name_plural)
        for formset in formsets
        if formset.has_changed()
    ]
    return f"Changed in the story form: {', '.join(labels)}" if labels else "Saved unchanged"


def _story(request, model_admin, object_id, permission="view"):
    story = get_object_or_404(
        Article.objects.only("pk", "title", "slug", "published", "review_state"),
        pk=_pk(object_id),
    )
    allowed = (
        model_admin.has_change_permission(request, story)
        if permission == "change"
        else model_admin.has_view_or_change_permission(request, story)
    )
    if not allowed:
        raise PermissionDenied
    return story


def _pk(object_id):
    try:
        return Article._meta.pk.to_python(unquote(object_id))
    except Exception:
        raise Http404("No such story.") from None


def _context(request, model_admin, story, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "story": story,
        "title": title,
        "subtitle": story.title,
        "versions_url": reverse("admin:articles_article_versions", args=[story.pk]),
        "change_url": reverse("admin:articles_article_change", args=[story.pk]),
        **extra,
    }


def versions_view(request, model_admin, object_id):
    story = _story(request, model_admin, object_id)
    paginator = Paginator(history.versions_of(story.pk), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("page: no such page of versions.") from None
    versions = list(page.object_list)
    older = None
    if versions:
        older = history.versions_of(story.pk).filter(history_id__lt=versions[-1].history_id)
        older = older.first()
    rows = []
    for newer, previous in zip(versions, [*versions[1:], older], strict=True):
        changes = history.differences(previous, newer) if previous is not None else None
        rows.append({"version": newer, "who": history.who(newer), "changes": changes})
    context = _context(
        request,
        model_admin,
        story,
        "Versions",
        rows=rows,
        page=page,
        can_revert=model_admin.has_change_permission(request, story),
        compare_url=reverse("admin:articles_article_versions_compare", args=[story.pk]),
    )
    return TemplateResponse(request, "admin/articles/article/versions.html", context)


def compare_view(request, model_admin, object_id):
    story = _story(request, model_admin, object_id)
    chosen = {}
    for name in ("from", "to"):
        value = request.GET.get(name, "")
        if not value.isdigit():
            messages.error(request, f"{name}: choose two versions to compare (got {value[:40]!r}).")
            return HttpResponseRedirect(reverse("admin:articles_article_versions", args=[story.pk]))
        chosen[name] = int(value)
    found = {
        version.history_id: version
        for version in history.versions_of(story.pk).filter(history_id__in=chosen.values())
    }
    missing = [name for name, pk in chosen.items() if pk not in found]
    if missing:
        raise Http404(f"{missing[0]}: no such version of this story.")
    # Older on the left, whichever order the editor picked them in.
    pair = (found[chosen["from"]], found[chosen["to"]])
    before, after = sorted(pair, key=lambda version: version.history_id)
    context = _context(
        request,
        model_admin,
        story,
        "Compare versions",
        before=before,
        after=after,
        before_who=history.who(before),
        after_who=history.who(after),
        changes=history.differences(before, after),
        can_revert=model_admin.has_change_permission(request, story),
    )
    return TemplateResponse(request, "admin/articles/article/version_compare.html", context)


def revert_view(request, model_admin, object_id, history_id):
    story = _story(request, model_admin, object_id, permission="change")
    version = history.versions_of(story.pk).filter(history_id=history_id).first()
    if version is None:
        raise Http404("No such version of this story.")
    if request.method == "POST":
        try:
            changed = history.revert(story.pk, version, request.user)
        except history.RevertError as error:
            messages.error(request, f"Not reverted: {error}")
            return HttpResponseRedirect(reverse("admin:articles_article_versions", args=[story.pk]))
        label = history.version_label(version)
        if changed:
            messages.success(request, f"Reverted to {label}.")
        else:
            messages.info(request, f"Nothing to revert: the story already is as in {label}.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[story.pk]))
    current = Article.objects.get(pk=story.pk)
    changes = [
        change for change in history.differences(current, version) if history.is_reverted(change)
    ]
    context = _context(
        request,
        model_admin,
        story,
        "Revert",
        version=version,
        version_label=history.version_label(version),
        changes=changes,
    )
    return TemplateResponse(request, "admin/articles/article/version_revert.html", context)
