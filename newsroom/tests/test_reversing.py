"""newsroom.reversing.quick_reverse gives what reverse() gives, or calls it."""

import threading

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from newsroom import reversing
from newsroom.reversing import quick_reverse

VALUES = ["a-b_1", "Topic-9", "a.b", "a~b", "outlet.example", "a b", "a/b", "é", "", "%41", "42"]
NAMES = ["articles:detail", "articles:topic", "providers:detail"]


@pytest.fixture(autouse=True)
def fresh():
    reversing._kept.clear()
    yield
    reversing._kept.clear()
    clear_script_prefix()


def reversed_or_error(function, name, value):
    try:
        return function(name, value)
    except NoReverseMatch:
        return NoReverseMatch


def plain_reverse(name, value):
    return reverse(name, args=[value])


@pytest.mark.parametrize("name", NAMES)
def test_same_as_reverse_for_every_value(name):
    for _ in range(2):  # kept, then substituted
        for value in VALUES:
            expected = reversed_or_error(plain_reverse, name, value)
            assert reversed_or_error(quick_reverse, name, value) == expected, value


def test_names_without_arguments_and_the_script_prefix():
    assert quick_reverse("articles:list") == reverse("articles:list") == "/"
    set_script_prefix("/news/")
    assert quick_reverse("articles:topics") == reverse("articles:topics") == "/news/topics/"
    assert quick_reverse("articles:detail", "x") == "/news/articles/x/"
    with pytest.raises(NoReverseMatch):
        quick_reverse("articles:no-such-page")


def test_an_int_converter_takes_only_ints():
    # The admin's history pages name an object by <path:object_id>: a path converter.
    name = "admin:articles_article_change"
    assert quick_reverse(name, 12) == reverse(name, args=[12])
    assert quick_reverse(name, "a.b") == reverse(name, args=["a.b"])


def test_kept_as_plain_text_across_threads():
    results = []

    def link(n):
        results.append(quick_reverse("articles:detail", f"story-{n}"))

    threads = [threading.Thread(target=link, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(f"/articles/story-{n}/" for n in range(8))
    assert all(isinstance(kept, tuple) for kept in reversing._kept.values())
