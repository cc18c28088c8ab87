"""Functions of one file version, by qualified name, from a tree-sitter parse."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Every named function in `source`; a name that repeats (overloads) gets `#2`, `#3`."""
    tree = tree_sitter.Parser(spec.grammar).parse(source)
    found: dict[str, Function] = {}
    stack: list[tuple[tree_sitter.Node, list[str], list[str]]] = [(tree.root_node, [], [])]
    while stack:
        node, names, headers = stack.pop()
        fn_name = spec.function_name(node)
        if fn_name:
            _add(found, _function(node, fn_name, names, headers, spec, source))
        scope = spec.scope_name(node)
        if scope:
            names = [*names, scope]
            headers = [*headers, _first_line(node, source)]
        stack.extend((child, names, headers) for child in reversed(node.named_children))
    return found


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
