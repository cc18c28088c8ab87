"""The languages the miner reads: file endings, tree-sitter grammars (one wheel each, loaded on
first use) and how each language names its functions and the scopes around them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

import tree_sitter

Node = tree_sitter.Node


def _text(node: Node | None) -> str | None:
    if node is None or node.text is None:
        return None
    return " ".join(node.text.decode("utf-8", errors="replace").split())


def _name(node: Node) -> str | None:
    return _text(node.child_by_field_name("name"))


Namer = Callable[[Node], "str | None"]


@dataclass(frozen=True, eq=False)
class LanguageSpec:
    """`functions` names the nodes that define a function (None: not one after all);
    `scopes` names the nodes that qualify the functions inside them, by node type."""

    name: str
    module: str
    entry: str
    separator: str
    functions: dict[str, Namer]
    scopes: dict[str, Namer]

    @property
    def grammar(self) -> tree_sitter.Language:
        return _grammar(self.module, self.entry)

    @property
    def query(self) -> tree_sitter.Query:
        """Every function and scope node, found by tree-sitter in C rather than in Python."""
        return _query(self)


@cache
def _grammar(module: str, entry: str) -> tree_sitter.Language:
    return tree_sitter.Language(getattr(importlib.import_module(module), entry)())


@cache
def _query(spec: LanguageSpec) -> tree_sitter.Query:
    grammar = spec.grammar
    types = sorted(
        t for t in set(spec.functions) | set(spec.scopes) if grammar.id_for_node_kind(t, True)
    )  # the JavaScript grammar has no abstract classes, TypeScript's has
    return tree_sitter.Query(spec.grammar, "[" + " ".join(f"({t})" for t in types) + "] @node")


# Python -------------------------------------------------------------------------------------
_PY_FUNCS = {"function_definition": _name}
_PY_SCOPES = {"class_definition": _name, "function_definition": _name}


# JavaScript, TypeScript, TSX ------------------------------------------------------------------
_JS_FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}


def _js_bound_function(node: Node) -> str | None:
    """`const f = () => …`, `x = function () {…}` in a class field, and a function wrapped
    in a call (`const f = useCallback(() => …, [])`, `memo(function () {…})`): named by what
    holds it."""
    value = node.child_by_field_name("value")
    if value is None:
        return None
    if value.type == "call_expression":
        arguments = value.child_by_field_name("arguments")
        if arguments is None or not any(
            a.type in _JS_FUNCTION_VALUES for a in arguments.named_children
        ):
            return None
    elif value.type not in _JS_FUNCTION_VALUES:
        return None
    return _name(node) or _text(node.child_by_field_name("property"))


def _js_property_function(node: Node) -> str | None:
    """`{ key: function () {…} }`, `{ onClick: () => … }`: named by its key."""
    value = node.child_by_field_name("value")
    if value is None or value.type not in _JS_FUNCTION_VALUES:
        return None
    key = _text(node.child_by_field_name("key"))
    return key.strip("'\"`") if key else None


_TEST_CALLS = {"test", "it", "describe", "suite", "context", "specify"}


def _js_test_callback(node: Node) -> str | None:
    """`test('does x', () => {…})` and its kin (Jest, Vitest, Mocha, Playwright): the
    callback is named by the test's title."""
    arguments = node.parent
    if arguments is None or arguments.type != "arguments" or arguments.parent is None:
        return None
    callee = _text(arguments.parent.child_by_field_name("function")) or ""
    if callee.split(".", 1)[0] not in _TEST_CALLS or not arguments.named_children:
        return None
    title = arguments.named_children[0]
    if title.type not in ("string", "template_string") or title.id == node.id:
        return None
    return (_text(title) or "")[1:-1] or None


_JS_FUNCS = {
    "function_declaration": _name,
    "pair": _js_property_function,
    "arrow_function": _js_test_callback,
    "function_expression": _js_test_callback,
    "generator_function_declaration": _name,
    "method_definition": _name,
    "variable_declarator": _js_bound_function,
    "public_field_definition": _js_bound_function,
    "field_definition": _js_bound_function,
}
_JS_SCOPES = {
    "variable_declarator": _js_bound_function,
    "arrow_function": _js_test_callback,
    "function_expression": _js_test_callback,
    "class_declaration": _name,
    "abstract_class_declaration": _name,
    "class": _name,
    "function_declaration": _name,
    "method_definition": _name,
}


# Go -----------------------------------------------------------------------------------------
def _go_method(node: Node) -> str | None:
    receiver = node.child_by_field_name("receiver")
    kind = None
    if receiver is not None:
        for param in receiver.named_children:
            kind = param.child_by_field_name("type")
    base = _text(kind) or "?"
    base = base.lstrip("*").split("[", 1)[0]
    name = _name(node)
    return f"{base}.{name}" if name else None


def _go_func_literal(node: Node) -> str | None:
    """`Run: func(…) {…}` in a composite literal (cobra commands, handler tables) and
    `handler := func(…) {…}`: named by the key or the variable."""
    parent = node.parent
    if parent is not None and parent.type == "literal_element":
        keyed = parent.parent
        if keyed is not None and keyed.type == "keyed_element" and keyed.named_children:
            key = keyed.named_children[0]
            return _text(key) if key.id != parent.id else None
    if parent is not None and parent.type == "expression_list":
        holder = parent.parent
        if holder is not None and holder.type in ("short_var_declaration", "var_spec"):
            left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
            return _text(left) if left is not None and left.id != parent.id else None
    return None


_GO_FUNCS = {
    "function_declaration": _name,
    "method_declaration": _go_method,
    "func_literal": _go_func_literal,
}
_GO_SCOPES = {"function_declaration": _name, "method_declaration": _go_method, "var_spec": _name}


# Rust ---------------------------------------------------------------------------------------
def _rust_impl(node: Node) -> str | None:
    kind = _text(node.child_by_field_name("type"))
    trait = _text(node.child_by_field_name("trait"))
    return f"<{kind} as {trait}>" if trait else kind


_RUST_FUNCS = {"function_item": _name}
_RUST_SCOPES = {
    "impl_item": _rust_impl,
    "mod_item": _name,
    "trait_item": _name,
    "function_item": _name,
}


# Java ---------------------------------------------------------------------------------------
_JAVA_FUNCS = {"method_declaration": _name, "constructor_declaration": _name}
_JAVA_SCOPES = {
    "class_declaration": _name,
    "interface_declaration": _name,
    "enum_declaration": _name,
    "record_declaration": _name,
}


# C and C++ ----------------------------------------------------------------------------------
def _c_declarator_name(node: Node) -> str | None:
    """Dig through pointer and reference declarators to the function declarator's name."""
    declarator = node.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator") or next(
            (c for c in declarator.named_children if "declarator" in c.type), None
        )
    if declarator is None:
        return None
    return _text(declarator.child_by_field_name("declarator"))


_C_FUNCS = {"function_definition": _c_declarator_name}
_CPP_SCOPES = {"class_specifier": _name, "struct_specifier": _name, "namespace_definition": _name}


# Ruby ---------------------------------------------------------------------------------------
def _ruby_singleton(node: Node) -> str | None:
    name = _name(node)
    return f".{name}" if name else None


def _ruby_method(node: Node) -> str | None:
    name = _name(node)
    return f"#{name}" if name else None


_RUBY_FUNCS = {"method": _ruby_method, "singleton_method": _ruby_singleton}
_RUBY_SCOPES = {"class": _name, "module": _name}


LANGUAGES: dict[str, LanguageSpec] = {
    spec.name: spec
    for spec in (
        LanguageSpec("python", "tree_sitter_python", "language", ".", _PY_FUNCS, _PY_SCOPES),
        LanguageSpec(
            "javascript", "tree_sitter_javascript", "language", ".", _JS_FUNCS, _JS_SCOPES
        ),
        LanguageSpec(
            "typescript",
            "tree_sitter_typescript",
            "language_typescript",
            ".",
            _JS_FUNCS,
            _JS_SCOPES,
        ),
        LanguageSpec("tsx", "tree_sitter_typescript", "language_tsx", ".", _JS_FUNCS, _JS_SCOPES),
        LanguageSpec("go", "tree_sitter_go", "language", ".", _GO_FUNCS, _GO_SCOPES),
        LanguageSpec("rust", "tree_sitter_rust", "language", "::", _RUST_FUNCS, _RUST_SCOPES),
        LanguageSpec("java", "tree_sitter_java", "language", ".", _JAVA_FUNCS, _JAVA_SCOPES),
        LanguageSpec("c", "tree_sitter_c", "language", "::", _C_FUNCS, {}),
        LanguageSpec("cpp", "tree_sitter_cpp", "language", "::", _C_FUNCS, _CPP_SCOPES),
        LanguageSpec("ruby", "tree_sitter_ruby", "language", "::", _RUBY_FUNCS, _RUBY_SCOPES),
    )
}

_EXTENSIONS = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".hh": "cpp",
    ".hxx": "cpp",
    ".rb": "ruby",
}


def language_for(path: str) -> LanguageSpec | None:
    """The language of a file by its ending, or None for files the miner does not parse."""
    return LANGUAGES.get(_EXTENSIONS.get(PurePosixPath(path).suffix.lower(), ""))
