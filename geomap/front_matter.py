"""YAML front matter of ``.txt``/``.md`` articles, read with a size and alias budget.

A front-matter block is a few short fields (``date``, ``source``, ``title``, ``url``). YAML can
say much more: anchors and aliases nest (a 378-byte "billion laughs" block expands to 387
million strings), blocks can nest thousands deep. So a block is refused, and the article kept
whole with a note, when it is larger than :data:`MAX_BYTES`, or when its values expanded
through aliases would hold more than :data:`MAX_NODES` nodes (counted on the composed graph,
before anything is built), or when it nests too deep for the parser.

Dates are loaded as the strings they are written as (``2012-02-30`` is then an unparseable
date noted on the article, never an exception), and read by ``geomap.read.parse_date``.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["split_front_matter", "MAX_BYTES", "MAX_NODES"]

#: Largest front-matter block read, in characters.
MAX_BYTES = 64 * 1024
#: Most YAML nodes a block may expand to through aliases.
MAX_NODES = 10_000

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: dates stay strings, checked by geomap."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TooBig(Exception):
    pass


def _expanded_size(node: yaml.Node, budget: int) -> int:
    """Nodes ``node`` expands to (aliases counted at every use); raises _TooBig past ``budget``.

    Iterative with a memo per node, so shared subtrees cost one visit and a cycle is caught.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            on_path.discard(key)
            children = _children(current)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > budget:
                raise _TooBig
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _TooBig  # a recursive alias expands without end
        on_path.add(key)
        stack.append((current, True))
        for child in _children(current):
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _load(block: str) -> object:
    loader = _Loader(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, MAX_NODES)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def split_front_matter(text: str) -> tuple[dict, str, str | None]:
    """Split a YAML front-matter block off a text/markdown article.

    Returns
    -------
    (fields, body, problem)
        ``fields`` with lower-cased keys; ``problem`` is a note when a block was present but
        could not be read (the text is then kept whole and ``fields`` is empty).
    """
    head = text[: MAX_BYTES + 16]
    m = _FRONT_MATTER.match(head)
    if not m:
        if _FRONT_MATTER.match(text[: MAX_BYTES * 4]) and text.startswith("---"):
            return {}, text, f"front matter larger than {MAX_BYTES // 1024} KiB ignored"
        return {}, text, None
    try:
        fields = _load(m.group(1))
    except _TooBig:
        return {}, text, f"front matter ignored: its aliases expand beyond {MAX_NODES:,} values"
    except RecursionError:
        return {}, text, "front matter ignored: nested too deep"
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return {}, text, "front matter is not valid YAML"
    if not isinstance(fields, dict):
        return {}, text, "front matter is not a mapping"
    return {str(k).lower(): v for k, v in fields.items()}, text[m.end() :], None
