"""Export stories, topics and outlets to files in the seed format: the engine behind
``export_articles``.

Guarantees:
- one file per story in ``DIR/news/``, per topic in ``DIR/topics/`` and per outlet
  in ``DIR/organizations/``, named by the base name of the file it was imported
  from where known;
- the same database exports to the same bytes, and a file whose bytes would not
  change is not touched (it counts as unchanged);
- each file is written to a temporary file beside it and renamed into place, so a
  crash leaves either the old file or the new one, never half of one;
- stories are read in chunks, so memory does not grow with the number of stories.
"""

import datetime as dt
import os
import tempfile
from pathlib import Path, PurePosixPath

from django.db.models import Q

from articles.ingest.reading import YAML_SUFFIXES
from articles.models import Article, SourceFile, Topic
from articles.reports import FileReport
from providers.models import Provider

from . import documents
from .yamltext import dump

TAXONOMY_OWNERS = {
    "topics": (SourceFile.Kind.TOPIC, "topic_id"),
    "organizations": (SourceFile.Kind.ORGANIZATION, "provider_id"),
}

NAMES_PER_QUERY = 100
"""File names looked up per query (each is one condition; SQLite bounds their number)."""

CHUNK_SIZE = 500
"""Stories loaded at a time (with their images, related links and topics)."""


def export_to(
    directory,
    articles=None,
    *,
    taxonomy=True,
    chunk_size=CHUNK_SIZE,
    on_problem=None,
    on_progress=None,
):
    """Write ``articles`` (default: every story) and the taxonomy under ``directory``."""
    run = _ExportRun(Path(directory), on_problem, on_progress)
    queryset = Article.objects.all() if articles is None else articles
    topics = Topic.objects.select_related("parent").order_by("pk") if taxonomy else []
    providers = Provider.objects.order_by("pk") if taxonomy else []
    run.total = queryset.count() + len(topics) + len(providers)
    for chunk in article_chunks(queryset, chunk_size):
        run.write_articles(chunk)
    run.write_taxonomy(topics, "topics", documents.topic_document)
    run.write_taxonomy(providers, "organizations", documents.organization_document)
    return run.report


def article_chunks(queryset, chunk_size):
    """Stories in primary-key order, ``chunk_size`` at a time, children prefetched.

    Keyset pages rather than ``iterator()``: each page also needs one query for its
    topics in the order the file listed them (the order they were linked in).
    """
    base = (
        queryset.order_by("pk")
        .select_related("provider")
        .prefetch_related("images", "related_links")
    )
    last = 0
    while True:
        chunk = list(base.filter(pk__gt=last)[:chunk_size])
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def topic_names_of(articles):
    through = Article.topics.through.objects.filter(article_id__in=[a.pk for a in articles])
    names = {}
    for article_id, name in through.order_by("pk").values_list("article_id", "topic__name"):
        names.setdefault(article_id, []).append(name)
    return names


class _ExportRun:
    def __init__(self, directory, on_problem, on_progress):
        self.directory = directory
        self.on_problem = on_problem or (lambda name, reason: None)
        self.on_progress = on_progress or (lambda done, total: None)
        self.report = FileReport()
        self.total = 0
        self.done = 0
        self.taken = set()

    def write_articles(self, articles):
        names = topic_names_of(articles)
        owners = _owners([a.source_file for a in articles], SourceFile.Kind.NEWS, "article_id")
        sources = {}
        for article in articles:
            source = _own_file_name(article.source_file, owners, article.pk)
            if article.body and source and Path(source).suffix.lower() in YAML_SUFFIXES:
                source = None  # a plain YAML document has no room for a body
            sources[article.pk] = source
        # A made-up name must not take the name of a file that now carries another story.
        made_up = {a.pk: news_file_name(a) for a in articles if not sources[a.pk]}
        reserved = _source_names(made_up.values(), SourceFile.Kind.NEWS)
        for article in articles:
            source = sources[article.pk]
            name = made_up.get(article.pk)
            if name in reserved:
                name = _numbered(name, article.pk)
            name = self.claim("news", source or name, article.pk)
            self.write(
                "news",
                name,
                lambda article=article: documents.article_document(
                    article, names.get(article.pk, [])
                ),
                blank_lines=True,
            )

    def write_taxonomy(self, objects, folder, build):
        objects = list(objects)
        kind, column = TAXONOMY_OWNERS[folder]
        owners = _owners([o.source_file for o in objects], kind, column)
        for obj in objects:
            source = _own_file_name(obj.source_file, owners, obj.pk)
            fallback = f"{obj.slug}.yaml" if folder == "topics" else f"{obj.domain}.md"
            name = self.claim(folder, source or fallback, obj.pk)
            self.write(folder, name, lambda obj=obj: (build(obj), None))

    def claim(self, folder, name, pk):
        """A file name no other object of this run writes to."""
        if (folder, name) in self.taken:
            name = _numbered(name, pk)
        self.taken.add((folder, name))
        return name

    def write(self, folder, name, build, blank_lines=False):
        path = self.directory / folder / name
        try:
            front, body = build()
            content = render(front, body, name, blank_lines=blank_lines).encode()
            status = write_atomically(path, content)
        except (OSError, TypeError, ValueError) as error:
            self.report.count("failed")
            reason = getattr(error, "strerror", None) or str(error)
            self.report.problems.append((str(path), reason))
            self.on_problem(str(path), reason)
        else:
            self.report.count(status)
        self.done += 1
        self.on_progress(self.done, self.total)


def render(front, body, name, *, blank_lines=False):
    """A file's text: a plain YAML document for ``.yaml``/``.yml`` names, else front matter."""
    text = dump(front, blank_lines=blank_lines)
    if Path(name).suffix.lower() in YAML_SUFFIXES:
        return text
    if body is None:  # taxonomy files are front matter only
        return f"---\n{text}---\n"
    return f"---\n{text}---\n\n" + (f"{body}\n" if body else "")


def write_atomically(path, content):
    """Write ``content`` to ``path`` unless it already holds exactly that; say what happened."""
    try:
        if path.read_bytes() == content:
            return "unchanged"
        status = "updated"
    except FileNotFoundError:
        status = "created"
    path.parent.mkdir(parents=True, exist_ok=True)
    # A hidden name: an import of the folder skips it if a crash leaves it behind.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return status


def news_file_name(article):
    """``YYYY-MM-DD-slug.md``, the seed files' naming, for a story not imported from a file."""
    date = article.published_at.astimezone(dt.UTC).date().isoformat()
    slug = article.slug or f"story-{article.pk}"
    return f"{slug}.md" if slug.startswith(f"{date}-") else f"{date}-{slug}.md"


def _owners(names, kind, column):
    """Which object each source path now belongs to (two stories may share a file's past)."""
    names = [name for name in names if name]
    if not names:
        return {}
    return dict(
        SourceFile.objects.filter(name__in=names, kind=kind)
        .exclude(**{f"{column}__isnull": True})
        .values_list("name", column)
    )


def _source_names(names, kind):
    """Which of these file names a tracked source file of this kind has, in any folder."""
    names = sorted(set(names))
    taken = set()
    for start in range(0, len(names), NAMES_PER_QUERY):
        group = names[start : start + NAMES_PER_QUERY]
        in_any_folder = Q(name__in=group)
        for name in group:
            in_any_folder |= Q(name__endswith=f"/{name}")
        paths = SourceFile.objects.filter(in_any_folder, kind=kind).values_list("name", flat=True)
        taken.update(PurePosixPath(path).name for path in paths)
    return taken


def _numbered(name, pk):
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}-{pk}.{suffix}" if dot else f"{name}-{pk}"


def _own_file_name(source, owners, pk):
    """The file name an object takes from its source path (``news/x.md``: ``x.md``), or None.

    None when the source file now carries another object, or the path is not one
    the importer writes: absolute, ``..`` or hidden parts (an import would skip them).
    """
    if not source or "\\" in source or owners.get(source, pk) != pk:
        return None
    path = PurePosixPath(source)
    if path.is_absolute() or any(part.startswith(".") for part in path.parts):
        return None
    return path.name
