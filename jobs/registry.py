"""The kinds of job the admin can start, and the function that runs each.

A kind is registered once, by the module that owns the work::

    @registry.register("recluster", label="Re-cluster stories", unit="stories",
                       permission="articles.change_cluster")
    def recluster(job, progress):
        ...                      # call the same function the command calls
        return Outcome(summary="...", failed=0)

``progress.update(done, total)`` and ``progress.problem(name, reason)`` report as
the work goes; a :class:`JobError` ends the job failed with its message as the
reason. Kinds with ``needs_upload=False`` get a "start" button on the jobs page.
"""

from dataclasses import dataclass, field


class JobError(Exception):
    """The job cannot go on; the message is what editors read as the reason."""


@dataclass(frozen=True)
class Outcome:
    summary: str
    failed: int = 0
    """Items that failed: a job with failures ends failed, as its command exits 1."""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    run: object
    unit: str = "items"
    permission: str = ""
    needs_upload: bool = False

    def allowed(self, user):
        return bool(self.permission) and user.has_perm(self.permission)


_KINDS = {}


def register(name, *, label, unit="items", permission, needs_upload=False):
    def decorator(run):
        _KINDS[name] = Kind(name, label, run, unit, permission, needs_upload)
        return run

    return decorator


def get(name):
    """The kind called ``name``; a ``JobError`` for one nobody registered."""
    try:
        return _KINDS[name]
    except KeyError:
        raise JobError(f"no job kind called {name!r} is installed") from None


def label(name):
    kind = _KINDS.get(name)
    return kind.label if kind else name


def startable(user):
    """Kinds without an upload that ``user`` may start from the jobs page."""
    return [kind for kind in _KINDS.values() if not kind.needs_upload and kind.allowed(user)]
