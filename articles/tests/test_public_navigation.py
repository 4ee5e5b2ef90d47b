"""Navigation: the topic taxonomy from every page, what topic and outlet pages are, paging links."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Topic
from articles.paging import CappedPaginator
from articles.taxonomy import counted_taxonomy, public_taxonomy
from articles.tests.factories import ArticleFactory, ProviderFactory, TopicFactory
from articles.tests.public_support import NAV_QUERIES, full_story
from newsroom import pagecache

pytestmark = pytest.mark.django_db

TOPICS = reverse("articles:topics")


@pytest.fixture
def taxonomy():
    """AI (a taxonomy file's) over Vision and Robotics; Vision has Faces under it."""
    ai = TopicFactory(name="AI", slug="ai", description="All of AI.", source_file="ai.yaml")
    vision = TopicFactory(name="Vision", slug="vision", parent=ai, source_file="vision.yaml")
    robotics = TopicFactory(name="Robotics", slug="robotics", parent=ai, source_file="r.yaml")
    faces = TopicFactory(name="Faces", slug="faces", parent=vision, source_file="faces.yaml")
    ArticleFactory.create_batch(3, topics=[vision])
    ArticleFactory(topics=[faces, ai])
    ArticleFactory(topics=[robotics], published=False)
    return ai, vision, robotics, faces


def tree_of(html):
    """The /topics/ page's tree as nested (name, count text, children) tuples."""
    section = html.split('<ul class="topic-tree">', 1)[1]
    tokens = re.findall(
        r'(<ul class="topic-tree[^"]*">)|(</ul>)|<a href="[^"]+">([^<]+)</a>\s*'
        r'<span class="meta">([^<]+)</span>',
        section,
    )
    stack, current = [], []
    for opening, closing, name, count in tokens:
        if opening:
            stack.append(current)
            current[-1][2].append(children := [])
            current = children
        elif closing:
            if not stack:
                return current
            current = stack.pop()
        else:
            current.append((name, count, []))
    return current


def flatten(nodes):
    return [(name, count, [flatten(kids) for kids in children]) for name, count, children in nodes]


class TestTopicIndex:
    def test_lists_the_public_taxonomy_as_a_tree_with_counts(self, client, taxonomy):
        """Broader topics first, subtopics nested, counts of published stories only."""
        TopicFactory(name="Hidden", slug="hidden")  # no file, no public story: not public
        response = client.get(TOPICS)
        assert response.status_code == 200
        tree = tree_of(response.content.decode())
        assert tree == [
            (
                "AI",
                "1 story",
                [
                    [
                        ("Robotics", "0 stories", []),
                        ("Vision", "3 stories", [[("Faces", "1 story", [])]]),
                    ]
                ],
            )
        ]
        assert "Hidden" not in response.content.decode()

    def test_a_topic_whose_parent_is_not_public_stands_at_the_top(self, client):
        hidden = TopicFactory(name="Hidden parent", slug="hidden-parent")
        ArticleFactory(topics=[TopicFactory(name="Orphan", slug="orphan", parent=hidden)])
        tree = tree_of(client.get(TOPICS).content.decode())
        assert tree == [("Orphan", "1 story", [])]

    def test_a_loop_of_parents_is_cut_and_every_topic_still_shows(self, client):
        """Hand-edited files can make A the parent of B and B of A: both still show, once."""
        first = TopicFactory(name="First", slug="first", source_file="f.yaml")
        second = TopicFactory(name="Second", slug="second", parent=first, source_file="s.yaml")
        Topic.objects.filter(pk=first.pk).update(parent=second)
        body = client.get(TOPICS).content.decode()
        assert body.count('href="/topics/first/"') == 2  # the tree and the footer's navigation
        assert body.count('href="/topics/second/"') == 2
        assert len(tree_of(body)) == 1

    def test_counts_past_the_cap_say_more_than(self, client, monkeypatch):
        monkeypatch.setattr(CappedPaginator, "cap", 2)
        topic = TopicFactory(name="Busy", slug="busy")
        ArticleFactory.create_batch(4, topics=[topic])
        assert tree_of(client.get(TOPICS).content.decode()) == [("Busy", "more than 2 stories", [])]

    def test_empty_taxonomy_says_so(self, client):
        assert "No topics yet." in client.get(TOPICS).content.decode()

    def test_two_queries_whatever_the_number_of_topics(self, client, django_assert_num_queries):
        """The tree and the footer's navigation share the taxonomy's one query; the
        counts are one more."""
        parent = TopicFactory(source_file="p.yaml")
        full_story(topics=[TopicFactory(parent=parent)])
        with django_assert_num_queries(NAV_QUERIES + 1):
            client.get(TOPICS)
        for _ in range(20):
            child = TopicFactory(parent=parent)
            full_story(topics=[child, TopicFactory(parent=child)])
        with django_assert_num_queries(NAV_QUERIES + 1):
            body = client.get(TOPICS).content.decode()
        assert body.count('<ul class="topic-tree topic-tree--nested">') == 21


BUILT_AND_KEPT = 4


class TestTaxonomyCache:
    def test_kept_for_the_page_cache_generation(
        self, memory_page_cache, taxonomy, django_assert_num_queries
    ):
        """With the page cache on, the taxonomy is built once until what pages show changes.

        Building it: its own query and the public topics' ids (kept too), each kept
        value with its look-up of the next scheduled change (how long it may live)."""
        with django_assert_num_queries(BUILT_AND_KEPT):
            before = public_taxonomy()
        TopicFactory(name="Newcomer", slug="newcomer", source_file="n.yaml")
        with django_assert_num_queries(0):
            assert public_taxonomy() == before
        pagecache.pages_changed()
        with django_assert_num_queries(BUILT_AND_KEPT):
            assert "Newcomer" in [node.name for node in public_taxonomy().roots]

    def test_counts_kept_for_the_generation_too(
        self, memory_page_cache, taxonomy, django_assert_num_queries
    ):
        """``/topics/``'s counts are kept beside the tree and retired with it."""
        vision = taxonomy[1]
        late = ArticleFactory(topics=[vision], published=False)
        counted_taxonomy()
        Article.objects.filter(pk=late.pk).update(published=True)  # no signal: still kept
        with django_assert_num_queries(0):
            assert counted_taxonomy().node(vision).stories == 3
        pagecache.pages_changed()
        assert counted_taxonomy().node(vision).stories == 4

    def test_navigation_counts_no_stories(self, client, taxonomy):
        """Every page carries the tree; only the pages that show counts pay for them
        (a capped count per topic: 0.7 s for 40 topics at a million stories)."""
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        topic_queries = [q["sql"] for q in captured if 'FROM "articles_topic"' in q["sql"]]
        assert topic_queries
        assert not [sql for sql in topic_queries if "COUNT(" in sql]

    def test_built_each_time_without_the_page_cache(self, taxonomy, django_assert_num_queries):
        """Nothing could retire a kept copy then, so none is kept."""
        public_taxonomy()
        with django_assert_num_queries(1):
            public_taxonomy()


def public_pages():
    """Every kind of public page, as (name, path maker)."""
    return {
        "home": lambda t: "/",
        "search": lambda t: "/?q=story",
        "topics": lambda t: TOPICS,
        "topic": lambda t: t[1].get_absolute_url(),
        "outlet": lambda t: ArticleFactory(topics=[t[1]]).provider.get_absolute_url(),
        "story": lambda t: ArticleFactory(topics=[t[1]]).get_absolute_url(),
        "not found": lambda t: "/articles/no-such-story/",
    }


class TestNavigationOnEveryPage:
    @pytest.mark.parametrize("kind", list(public_pages()))
    def test_header_links_the_topics_and_footer_lists_the_top_ones(self, client, taxonomy, kind):
        """Every public page reaches the taxonomy: a header link, the top two levels below."""
        body = client.get(public_pages()[kind](taxonomy)).content.decode()
        header = body.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
        assert (
            '<nav class="site-nav" aria-label="Main"><a href="/topics/">Topics</a></nav>' in header
        )
        nav = body.split('<nav class="topic-nav" aria-label="Topics">', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'href="([^"]+)"', nav) == [
            "/topics/",
            "/topics/ai/",
            "/topics/robotics/",
            "/topics/vision/",
        ]


class TestTheKeptNavigation:
    """A process keeps the navigation's HTML by what it shows (``topic_nav._drawn_nav``)."""

    @staticmethod
    def nav(client):
        body = client.get("/").content.decode()
        return body.split('<nav class="topic-nav" aria-label="Topics">', 1)[1].split("</nav>")[0]

    def test_a_renamed_topic_shows_on_the_next_request(self, client, taxonomy):
        ai, vision, *_ = taxonomy
        assert ">Vision</a>" in self.nav(client)
        Topic.objects.filter(pk=vision.pk).update(name="Sight")
        assert ">Sight</a>" in self.nav(client) and ">Vision</a>" not in self.nav(client)

    def test_a_hidden_or_new_topic_shows_on_the_next_request(self, client, taxonomy):
        ai, vision, robotics, _ = taxonomy
        assert "/topics/robotics/" in self.nav(client)
        Topic.objects.filter(pk=robotics.pk).update(source_file="")  # only a draft of its own
        TopicFactory(name="Audio", slug="audio", parent=ai, source_file="audio.yaml")
        links = re.findall(r'href="([^"]+)"', self.nav(client))
        assert links == ["/topics/", "/topics/ai/", "/topics/audio/", "/topics/vision/"]


class TestTopicPage:
    def test_shows_what_it_is(self, client, taxonomy):
        """Description, parent, subtopics with counts, the story count and the feeds."""
        _, vision, _, _ = taxonomy
        body = client.get(vision.get_absolute_url()).content.decode()
        assert (
            '<nav aria-label="Breadcrumb" class="breadcrumb"><a href="/topics/ai/">AI</a>' in body
        )
        assert '<p class="list-count">3 stories</p>' in body
        assert (
            '<a href="/topics/faces/">Faces <span class="tags__count">(1 story)</span></a>' in body
        )
        for kind, path in [("rss+xml", "rss"), ("atom+xml", "atom"), ("feed+json", "json")]:
            assert (f'<link rel="alternate" type="application/{kind}" title="Vision (') in body
            assert f'href="/feeds/{path}/?topic=vision"' in body

    def test_shows_the_picture_its_file_names_framed_by_its_initial(self, client):
        """The taxonomy file's first http(s) image, square and eager, the initial behind it."""
        topic = TopicFactory(
            slug="vision",
            name="vision",
            source_file="vision.yaml",
            extra={"images": ["/assets/vision.jpg", " https://img.example/vision 1.jpg", "x"]},
        )
        body = client.get(topic.get_absolute_url()).content.decode()
        img = (
            '<img src="https://img.example/vision%201.jpg" width="64" height="64" alt=""'
            ' class="logo__img logo__img--cover" loading="eager" decoding="async"></span>'
        )
        assert framed_head_picture("V", img) in body

    @pytest.mark.parametrize(
        "images", [None, [], ["/assets/ai.jpg", "javascript:alert(1)"], "https://img.example/a"]
    )
    def test_a_topic_without_a_usable_picture_shows_no_frame(self, client, images):
        extra = {} if images is None else {"images": images}
        topic = TopicFactory(slug="bare", source_file="bare.yaml", extra=extra)
        body = client.get(topic.get_absolute_url()).content.decode()
        assert "picture-frame" not in body.split("<main", 1)[1].split("</h1>", 1)[0]

    def test_subtopic_counts_cost_one_query_whatever_their_number(
        self, client, taxonomy, django_assert_num_queries
    ):
        """A topic page counts its own subtopics only, in one query."""
        ai = taxonomy[0]
        client.get(ai.get_absolute_url())
        with CaptureQueriesContext(connection) as two_children:
            client.get(ai.get_absolute_url())
        for number in range(5):
            TopicFactory(name=f"Sub {number}", slug=f"sub-{number}", parent=ai, source_file="s")
        with django_assert_num_queries(len(two_children)):
            body = client.get(ai.get_absolute_url()).content.decode()
        assert 'Sub 4 <span class="tags__count">(0 stories)</span>' in body
        assert 'Vision <span class="tags__count">(3 stories)</span>' in body

    def test_a_top_topic_has_no_breadcrumb(self, client, taxonomy):
        ai = taxonomy[0]
        body = client.get(ai.get_absolute_url()).content.decode()
        assert 'class="breadcrumb"' not in body
        assert "All of AI." in body
        assert '<p class="list-count">1 story</p>' in body

    def test_the_count_follows_the_filters(self, client, taxonomy):
        _, vision, _, _ = taxonomy
        ArticleFactory(topics=[vision], quality=95)
        body = client.get(vision.get_absolute_url(), {"min_quality": "90"}).content.decode()
        assert '<p class="list-count">Matching these filters: 1 story</p>' in body


class TestOutletPage:
    def test_shows_logo_description_count_and_feeds(self, client):
        outlet = ProviderFactory(
            domain="daily.example",
            name="Daily",
            description="News every day.",
            source_images=[{"url": "https://daily.example/logo.png", "width": 64, "height": 64}],
        )
        ArticleFactory.create_batch(2, provider=outlet)
        body = client.get(outlet.get_absolute_url()).content.decode()
        img = (
            '<img src="https://daily.example/logo.png" width="64" height="64" alt="Daily"'
            ' class="logo__img" loading="eager"'
        )
        assert framed_head_picture("D", img) in body
        assert "News every day." in body
        assert '<p class="list-count">2 stories</p>' in body
        assert (
            '<link rel="alternate" type="application/feed+json" title="Daily (JSON Feed)"' in body
        )
        assert 'href="/feeds/atom/?provider=daily.example"' in body


def framed_head_picture(initial, img):
    """A topic's or outlet's picture in its large frame, its initial behind it."""
    return (
        '<span class="picture-frame logo logo--large">'
        f'<span class="picture-frame__placeholder" aria-hidden="true">{initial}</span>{img}'
    )


def head_of(body):
    return body.split("</head>", 1)[0]


class TestPagingLinks:
    @pytest.fixture
    def three_pages(self):
        ArticleFactory.create_batch(45, type="video")

    def rels(self, html, tag):
        return dict(re.findall(rf'<{tag} rel="(prev|next)" href="([^"]*)"', html))

    @pytest.mark.parametrize(
        ("number", "expected"),
        [
            (1, {"next": "?type=video&amp;page=2"}),
            (2, {"prev": "?type=video", "next": "?type=video&amp;page=3"}),
            (3, {"prev": "?type=video&amp;page=2"}),
        ],
    )
    def test_head_and_pager_name_the_neighbours(self, client, three_pages, number, expected):
        """``<link rel>`` in the head and the pager's anchors agree, filters kept."""
        body = client.get("/", {"type": "video", "page": number}).content.decode()
        assert self.rels(head_of(body), "link") == expected
        assert self.rels(body.split("</head>", 1)[1], "a") == expected

    def test_topic_and_outlet_pages_link_their_neighbours_too(self, client):
        topic = TopicFactory(slug="busy")
        outlet = ProviderFactory(domain="busy.example")
        ArticleFactory.create_batch(25, topics=[topic], provider=outlet)
        for path in (topic.get_absolute_url(), outlet.get_absolute_url()):
            assert self.rels(head_of(client.get(path).content.decode()), "link") == {
                "next": "?page=2"
            }

    def test_a_single_page_has_no_neighbours(self, client):
        ArticleFactory.create_batch(3)
        body = client.get("/").content.decode()
        assert 'rel="prev"' not in body and 'rel="next"' not in body

    def test_exact_page_count_and_story_count(self, client, three_pages):
        body = client.get("/", {"page": 2}).content.decode()
        assert '<span aria-current="page">Page 2 of 3</span>' in body
        assert '<p class="list-count">45 stories</p>' in body

    def test_past_the_cap_the_count_is_not_made_up(self, client, monkeypatch, three_pages):
        """Without an estimate (SQLite) the page says "of many", never a made-up number."""
        monkeypatch.setattr(CappedPaginator, "cap", 30)
        monkeypatch.setattr("articles.paging.planner_estimate", lambda queryset: 0)
        body = client.get("/", {"page": 2}).content.decode()
        assert '<span aria-current="page">Page 2 of many</span>' in body
        assert '<p class="list-count">more than 30 stories</p>' in body

    def test_past_the_cap_an_estimate_says_about(self, client, monkeypatch, three_pages):
        """With the planner's estimate (PostgreSQL) the page says "about" it."""
        monkeypatch.setattr(CappedPaginator, "cap", 30)
        monkeypatch.setattr("articles.paging.planner_estimate", lambda queryset: 61)
        body = client.get("/", {"page": 1}).content.decode()
        assert '<span aria-current="page">Page 1 of about 4</span>' in body
        assert '<p class="list-count">about 61 stories</p>' in body
        # Past the estimate's last page the estimate is wrong: "many", not "page 3 of about 2".
        monkeypatch.setattr("articles.paging.planner_estimate", lambda queryset: 35)
        body = client.get("/", {"page": 3}).content.decode()
        assert '<span aria-current="page">Page 3 of many</span>' in body
