"""A YAML loader that refuses, while it builds the tree, what could exhaust the importer.

libyaml's C parser turns the text into events (without recursion); the composer
here builds the node tree from them with an explicit stack and stops at the first
event that breaks a limit, before anything is constructed:

- an alias (``*name``): the seed format never uses one, and aliases are how a
  600-byte file becomes gigabytes (a "billion laughs" bomb). A merge key (``<<``)
  needs an alias to be of any use, so it is refused too;
- nesting deeper than ``MAX_NESTING``: the constructor, the validation, pickle,
  JSON and the exporter all recurse on nesting;
- more than ``MAX_NODES`` values: with aliases gone, this and the file-size limit
  bound the memory one file can take;
- text holding a character XML 1.0 forbids (see ``articles.xmltext``), written
  as an escape such as ``"\\x01"``, ``"\\0"`` or ``"\\ud800"``.

This guards the structure the parser reports, not the spelling of the text, so
YAML's other line breaks (U+0085, U+2028, U+2029) or tabs change nothing.
"""

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from articles.xmltext import forbidden_character

MAX_NESTING = 100
"""Mappings and lists nested deeper than this are refused (real files nest 5 deep)."""

MAX_NODES = 20_000
"""Values (keys included) one document may hold: ten times the largest real file (1,897)."""

MERGE_TAG = "tag:yaml.org,2002:merge"


class Refused(yaml.MarkedYAMLError):
    """The document breaks a limit; ``problem`` says which, ``problem_mark`` where."""

    def __init__(self, problem, mark):
        super().__init__(problem=problem, problem_mark=mark)


class GuardedComposer:
    """Replaces PyYAML's composer (the pure-Python one or libyaml's) on a loader."""

    def check_node(self):
        if self.check_event(StreamStartEvent):
            self.get_event()
        return not self.check_event(StreamEndEvent)

    def get_node(self):
        if not self.check_event(StreamEndEvent):
            return self.compose_document()
        return None

    def get_single_node(self):
        self.get_event()  # stream start
        document = None
        if not self.check_event(StreamEndEvent):
            document = self.compose_document()
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document.start_mark,
                "but found another document",
                event.start_mark,
            )
        self.get_event()  # stream end
        return document

    def compose_document(self):
        self.get_event()  # document start
        node = self._compose_root()
        self.get_event()  # document end
        return node

    def _compose_root(self):
        # The hot loop of every import: plain class checks, locals for attributes.
        get_event, resolve = self.get_event, self.resolve
        open_nodes = []  # the collections being composed, outermost first
        open_keys = []  # per open mapping, its key awaiting a value (None: none yet)
        nodes = 0
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                nodes += 1
                if nodes > MAX_NODES:
                    raise Refused(f"holds more than {MAX_NODES:,} YAML values", event.start_mark)
                tag, value = event.tag, event.value
                if tag is None or tag == "!":
                    tag = resolve(ScalarNode, value, event.implicit)
                if tag == MERGE_TAG:
                    raise Refused("uses a YAML merge key (<<)", event.start_mark)
                # YAML refuses these characters written raw, so only a
                # double-quoted scalar (the one with escapes) can hold one.
                if event.style == '"':
                    _check_characters(value, open_nodes, open_keys)
                node = ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                node = open_nodes.pop()
                open_keys.pop()
                node.end_mark = event.end_mark
            elif kind is AliasEvent:
                raise Refused(f"uses a YAML alias (*{event.anchor})", event.start_mark)
            else:
                nodes += 1
                if nodes > MAX_NODES:
                    raise Refused(f"holds more than {MAX_NODES:,} YAML values", event.start_mark)
                node_kind = SequenceNode if kind is SequenceStartEvent else MappingNode
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(node_kind, None, event.implicit)
                open_nodes.append(
                    node_kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                )
                open_keys.append(None)
                if len(open_nodes) > MAX_NESTING:
                    raise Refused(
                        f"YAML nested more than {MAX_NESTING} levels deep", event.start_mark
                    )
                continue
            if not open_nodes:
                return node
            parent = open_nodes[-1]
            if parent.__class__ is SequenceNode:
                parent.value.append(node)
            elif open_keys[-1] is None:
                open_keys[-1] = node
            else:
                parent.value.append((open_keys[-1], node))
                open_keys[-1] = None


def _check_characters(value, open_nodes, open_keys):
    found = forbidden_character(value)
    if found is not None:
        # Named by its field, as the other value rejections are.
        raise Refused(found.reason(_label(open_nodes, open_keys)), None)


def _label(open_nodes, open_keys):
    """Where a scalar sits, as rejections name fields: ``notes[0].a``, ``title (a key)``."""
    label = ""
    for node, key in zip(open_nodes, open_keys, strict=True):
        if node.__class__ is SequenceNode:
            label += f"[{len(node.value)}]"
        elif key is None:
            return f"{label} (a key)" if label else "a key"
        else:
            name = key.value if key.__class__ is ScalarNode else "?"
            label += f".{name}" if label else str(name)
    return label


def guarded(loader):
    """A subclass of PyYAML ``loader`` that composes with :class:`GuardedComposer`."""
    return type(f"Guarded{loader.__name__}", (GuardedComposer, loader), {})
