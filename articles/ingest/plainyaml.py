"""Front matter straight from libyaml's events to Python values: the import's hot path.

PyYAML builds a node tree and then walks it again to construct the values, a
Python call or two per value; that second walk cost about a third of reading a
news file. Here one loop over the events of the guarded loader
(``reading._Loader``) builds the values as it goes, for the documents real files
are: mappings, lists and scalars of the plain types, none of the guard's limits
broken.

Anything else — an alias, a merge key, an explicit or unknown tag, a key that is
not a plain value, a limit broken, a value its constructor refuses — raises
:class:`NotPlain`, and the caller reads the text again with the guarded loader,
which gives today's values or today's error, word for word. So this module
decides nothing about what is accepted; it only skips work where the answer is
known.
"""

from yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from articles.xmltext import XML_FORBIDDEN

from .yamlguard import MAX_NESTING, MAX_NODES

STR, MAP, SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))
PLAIN_SCALARS = {
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
}
"""The implicit tags besides text: their values come from the loader's own constructors
(with their misfit checks); any other tag goes the guarded loader's way."""


class NotPlain(Exception):
    """The document needs the guarded loader (see the module's docstring)."""


def load_plain(loader_class, source):
    """The one document in ``source``, as the guarded ``loader_class`` would build it.

    Raises :class:`NotPlain` where this loop does not build exactly that value.
    """
    loader = loader_class(source)
    try:
        loader.get_event()  # stream start
        if loader.check_event(StreamEndEvent):
            raise NotPlain  # no document at all
        loader.get_event()  # document start
        value = _values(loader)
        loader.get_event()  # document end
        if not loader.check_event(StreamEndEvent):
            raise NotPlain  # a second document: the guarded loader words the error
        return value
    except NotPlain:
        raise
    except Exception as error:  # a parse error or a misfit: worded by the guarded loader
        raise NotPlain from error
    finally:
        loader.dispose()


def _values(loader):
    """Build the document's root value from its events (an explicit stack, no recursion)."""
    get_event, resolve = loader.get_event, loader.resolve
    constructors = loader.yaml_constructors
    open_values = []  # the dicts and lists being filled, outermost first
    open_keys = []  # per open collection: its key awaiting a value, or NO_KEY
    nodes = 0
    while True:
        event = get_event()
        kind = event.__class__
        if kind is ScalarEvent:
            nodes += 1
            tag, text = event.tag, event.value
            if tag is None or tag == "!":
                tag = resolve(ScalarNode, text, event.implicit)
            else:
                raise NotPlain  # an explicit tag: the misfit checks word its errors
            if tag == STR:
                if event.style == '"' and XML_FORBIDDEN.search(text):
                    raise NotPlain
                value = text
            elif tag in PLAIN_SCALARS:
                node = ScalarNode(tag, text, event.start_mark, event.end_mark, style=event.style)
                value = constructors[tag](loader, node)
            else:
                raise NotPlain
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            value = open_values.pop()
            if open_keys.pop() is not NO_KEY:
                raise NotPlain  # cannot happen: libyaml pairs keys and values
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            nodes += 1
            if event.tag is not None and event.tag != "!":
                raise NotPlain
            is_map = kind is MappingStartEvent
            tag = resolve(MappingNode if is_map else SequenceNode, None, event.implicit)
            if tag != (MAP if is_map else SEQ):
                raise NotPlain
            open_values.append({} if is_map else [])
            open_keys.append(NO_KEY)
            if len(open_values) > MAX_NESTING or nodes > MAX_NODES:
                raise NotPlain
            continue
        else:  # an alias, or anything unexpected
            raise NotPlain
        if nodes > MAX_NODES:
            raise NotPlain
        if not open_values:
            return value
        parent = open_values[-1]
        if parent.__class__ is list:
            parent.append(value)
        elif open_keys[-1] is NO_KEY:
            if value.__class__ in (dict, list):
                raise NotPlain  # an unhashable key: the guarded loader's error
            open_keys[-1] = value
        else:
            parent[open_keys[-1]] = value
            open_keys[-1] = NO_KEY


NO_KEY = object()
"""An open mapping's marker for "no key read yet" (a key may itself be None)."""
