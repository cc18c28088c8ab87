"""Functions of one file version, by qualified name, from a tree-sitter parse."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import tree_sitter

from .languages import LanguageSpec

# Wrappers whose span belongs to the function they hold (decorators, `const f = …`).
_WRAPPERS = {"decorated_definition", "lexical_declaration", "variable_declaration"}


@dataclass(frozen=True)
class Function:
    qualname: str
    name: str
    text: str
    start_line: int
    end_line: int
    has_error: bool
    scopes: tuple[str, ...]  # first line of each enclosing scope, outermost first


def extract_functions(source: bytes, spec: LanguageSpec) -> dict[str, Function]:
    """Every named function in `source`; a name that repeats (overloads) gets `#2`, `#3`.
    tree-sitter's query finds the nodes; a stack of open scopes, in document order, names them."""
    tree = _parser(spec).parse(source)
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
    if name.startswith(("#", ".")):  # Ruby: `Class#method`, `Class.singleton`
        qualname = "::".join(names) + name if names else name[1:]
    else:
        qualname = spec.separator.join([*names, name])
    text = source[span.start_byte : span.end_byte].decode("utf-8", errors="replace")
    return Function(
        qualname=qualname,
        name=name.lstrip("#."),
        text=text,
        start_line=span.start_point.row + 1,
        end_line=span.end_point.row + 1,
        has_error=span.has_error,
        scopes=tuple(headers),
    )


def _add(found: dict[str, Function], function: Function) -> None:
    key, n = function.qualname, 1
    while key in found:
        n += 1
        key = f"{function.qualname}#{n}"
    found[key] = function if key == function.qualname else _renamed(function, key)


def _renamed(function: Function, qualname: str) -> Function:
    return Function(
        qualname,
        function.name,
        function.text,
        function.start_line,
        function.end_line,
        function.has_error,
        function.scopes,
    )


def _first_line(node: tree_sitter.Node, source: bytes) -> str:
    line = source[node.start_byte : node.end_byte].split(b"\n", 1)[0]
    return line.decode("utf-8", errors="replace").rstrip()
