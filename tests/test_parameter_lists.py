"""Parameter lists read off file texts, for the ripple rule's "the commit changes this
function's parameters": every definition of a name, none of its calls (each list as written,
white space removed, up to its closing bracket)."""

from __future__ import annotations

from selfware_git.miner.mechanical import PARAMETERS_MAX, _parameter_index

GO = "func (s *Store) Run(ctx context.Context, n int) error {\n\treturn run(ctx, n)\n}\n"
PY = "def load(path, *, strict=False):\n    return read(path)\n\n\nload('a')\n"
TS = "class A {\n  async fetch(url: string, opts?: Opts): Promise<R> {\n    return get(url);\n  }\n"


def test_every_definition_and_no_call_is_indexed() -> None:
    assert _parameter_index(GO) == {"Run": {"ctxcontext.Context,nint)"}}
    assert _parameter_index(PY) == {"load": {"path,*,strict=False)"}}
    assert _parameter_index(TS)["fetch"] == {"url:string,opts?:Opts)"}
    assert "get" not in _parameter_index(TS) and "read" not in _parameter_index(PY)


def test_nested_brackets_and_an_unclosed_list() -> None:
    nested = "def f(a=(1, (2, 3)), b=g(4)):\n    pass\n"
    assert _parameter_index(nested) == {"f": {"a=(1,(2,3)),b=g(4))"}}
    unclosed = "def f(a, " + "x" * (2 * PARAMETERS_MAX)
    assert _parameter_index(unclosed) == {"f": {"a," + "x" * (PARAMETERS_MAX - 3)}}
