"""Functions of one file version, by qualified name, from a tree-sitter parse."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

import tree_sitter

from .languages import LanguageSpec

# Wrappers whose span belongs to the function they hold (decorators, `const f = …`).
_WRAPPERS = {"decorated_definition", "lexical_declaration", "variable_declaration"}
# Languages whose documentation stands in comments right above the function (Go, Rust's `///`
# and its `#[…]` attributes, JSDoc, Javadoc): part of the function. Python's is inside it.
_NO_LEADING_DOCS = {"python", "ruby"}
_LEADING = ("comment", "attribute_item")


@dataclass(frozen=True)
class Function:
    qualname: str
    name: str
    text: str
    start_line: int
    end_line: int
    has_error: bool
    scopes: tuple[str, ...]  # first line of each enclosing scope, outermost first
    errors: tuple[str, ...] = ()  # text of each parse error inside it, where has_error

    def parses_like(self, other: Function) -> bool:
        """Both parse cleanly, or both hold the very same parse errors: a grammar's blind spot
        (an odd string in JSX, say) that both versions share, not code that is broken."""
        return self.errors == other.errors


def extract_functions(source: bytes, spec: LanguageSpec) -> dict[str, Function]:
    """Every named function in `source`; a name that repeats (overloads) gets `#2`, `#3`."""
    return functions_of(parse(source, spec), source, spec)


Parsed = tuple[bytes, tree_sitter.Tree]  # a file version and its parse tree


def parse(source: bytes, spec: LanguageSpec, earlier: Parsed | None = None) -> tree_sitter.Tree:
    """The parse tree of `source`; given the parse of an earlier version of the same file,
    tree-sitter reparses only what changed between the two (the same tree, in a fraction of
    the time). The earlier tree is edited in place: it must not be used again."""
    if earlier is None:
        return _parser(spec).parse(source)
    old, tree = earlier
    start, old_end, new_end = _changed_span(old, source)
    tree.edit(
        start, old_end, new_end, _point(old, start), _point(old, old_end), _point(source, new_end)
    )
    return _parser(spec).parse(source, tree)


def _changed_span(old: bytes, new: bytes) -> tuple[int, int, int]:
    """Where `new` differs from `old`: the first differing byte, and where the common tail
    starts in each."""
    shortest = min(len(old), len(new))
    start = _common_head(old, new, shortest)
    tail = _common_head(old[::-1], new[::-1], shortest - start)
    return start, len(old) - tail, len(new) - tail


def _common_head(old: bytes, new: bytes, limit: int) -> int:
    """Length of the common head of two texts, at most `limit`: compared a block at a time,
    the block halved where it differs, so a large file costs a few comparisons."""
    block, done = 4096, 0
    while done < limit:
        size = min(block, limit - done)
        if old[done : done + size] == new[done : done + size]:
            done += size
        elif size > 1:
            block = size // 2
        else:
            break
    return done


def _point(data: bytes, offset: int) -> tuple[int, int]:
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


def functions_of(tree: tree_sitter.Tree, source: bytes, spec: LanguageSpec) -> dict[str, Function]:
    """Every named function of a parsed file. tree-sitter's query finds the nodes; a stack of
    open scopes, in document order, names them."""
    captured = tree_sitter.QueryCursor(spec.query).captures(tree.root_node).get("node", [])
    found: dict[str, Function] = {}
    open_scopes: list[tuple[int, str, str]] = []  # (end byte, name, header line)
    for node in sorted(captured, key=lambda n: (n.start_byte, -n.end_byte)):
        while open_scopes and open_scopes[-1][0] <= node.start_byte:
            open_scopes.pop()
        namer = spec.functions.get(node.type)
        fn_name = namer(node) if namer else None
        if fn_name:
            names = [scope[1] for scope in open_scopes]
            headers = [scope[2] for scope in open_scopes]
            _add(found, _function(node, fn_name, names, headers, spec, source))
        scoper = spec.scopes.get(node.type)
        scope_name = scoper(node) if scoper else None
        if scope_name:
            open_scopes.append((node.end_byte, scope_name, _first_line(node, source)))
    return found


@cache
def _parser(spec: LanguageSpec) -> tree_sitter.Parser:
    return tree_sitter.Parser(spec.grammar)


def _function(
    node: tree_sitter.Node,
    name: str,
    names: list[str],
    headers: list[str],
    spec: LanguageSpec,
    source: bytes,
) -> Function:
    span = node
    while span.parent is not None and span.parent.type in _WRAPPERS:
        span = span.parent
    first = span if spec.name in _NO_LEADING_DOCS else _leading_docs(span)
    if name.startswith(("#", ".")):  # Ruby: `Class#method`, `Class.singleton`
        qualname = "::".join(names) + name if names else name[1:]
    else:
        qualname = spec.separator.join([*names, name])
    text = source[first.start_byte : span.end_byte].decode("utf-8", errors="replace")
    return Function(
        qualname=qualname,
        name=name.lstrip("#."),
        text=text,
        start_line=first.start_point.row + 1,
        end_line=span.end_point.row + 1,
        has_error=span.has_error,
        scopes=tuple(headers),
        errors=_errors(span, source) if span.has_error else (),
    )


def _leading_docs(span: tree_sitter.Node) -> tree_sitter.Node:
    """The first of the comments and attributes right above the function, or the function."""
    anchor = span
    while anchor.parent is not None and anchor.parent.type == "export_statement":
        anchor = anchor.parent
    first, previous = span, anchor.prev_named_sibling
    top = anchor.start_point.row
    while (
        previous is not None
        and previous.type.endswith(_LEADING)
        and previous.end_point.row >= top - 1
    ):
        first, top = previous, previous.start_point.row
        previous = previous.prev_named_sibling
    return first


def _errors(node: tree_sitter.Node, source: bytes) -> tuple[str, ...]:
    """The text of every ERROR and MISSING node under `node`, in order."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            found.append((current.start_byte, source[current.start_byte : current.end_byte]))
            continue
        if current.has_error:
            stack.extend(current.children)
    return tuple(text.decode("utf-8", errors="replace") for _, text in sorted(found))


def _add(found: dict[str, Function], function: Function) -> None:
    key, n = function.qualname, 1
    while key in found:
        n += 1
        key = f"{function.qualname}#{n}"
    found[key] = function if key == function.qualname else _renamed(function, key)


def _renamed(function: Function, qualname: str) -> Function:
    return dataclasses.replace(function, qualname=qualname)


def _first_line(node: tree_sitter.Node, source: bytes) -> str:
    line = source[node.start_byte : node.end_byte].split(b"\n", 1)[0]
    return line.decode("utf-8", errors="replace").rstrip()
