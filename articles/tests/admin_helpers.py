"""Helpers for the admin tests: editors, and posting a page's form as a browser would."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, User
from django.urls import reverse

from .change_form import change_form_data as posted_form_data

CHANGELIST = reverse("admin:articles_article_changelist")


def make_editor(username="editor"):
    """A member of the Editors group (made by the migration): staff, not superuser."""
    user = User.objects.create_user(username, password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind in {"submit", "button"}:
                return
            value = attrs.get("value") or ("on" if kind == "checkbox" else "")
            self.data.append((attrs["name"], value))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_data(response, form_id="changelist-form"):
    """The (name, value) pairs a browser would submit from the page's form, as a dict of lists."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def row_index(data, article):
    """The changelist form prefix (``form-N``) holding ``article``."""
    for key, values in data.items():
        if key.endswith("-id") and values == [str(article.pk)]:
            return key[: -len("-id")]
    raise AssertionError(f"{article} is not on the page")


def set_checkbox(data, name, checked):
    if checked:
        data[name] = ["on"]
    else:
        data.pop(name, None)


def change_form_data(client, article):
    """What the story's change page submits unchanged (its form and inline formsets)."""
    return posted_form_data(client.get(reverse("admin:articles_article_change", args=[article.pk])))


def logged_in_context(chromium, server_url, user, **options):
    """A browser context already logged in as ``user`` (a session made by the test client)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = chromium.new_context(**options)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": server_url}])
    return context
