# ruff: noqa: E501
"""Each pair rule of the README, through real git and plain history (agents told by the
markers they leave, as on any public repository): exact rows or exact skip reasons."""

from __future__ import annotations

from collections import Counter

import pytest

from selfware_git.miner.trail import says_refactor
from tests.gitrepo import GitRepo
from tests.scenario import pair_set, py, strip

CLAUDE = "\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"


def claude(repo: GitRepo, files: dict[str, str], message: str = "agent: task") -> str:
    return repo.commit(message + CLAUDE, files)


def person(repo: GitRepo, files: dict[str, str], message: str = "person edit", **kw) -> str:
    return repo.commit(message, files, **kw)


def functions(rows: list[dict]) -> list[tuple[str, str]]:
    return sorted((r["metadata"]["event"], r["metadata"]["function"]) for r in rows)


# --- 1. line-level authorship ----------------------------------------------------------------
def test_person_editing_only_older_lines_of_a_function_the_agent_touched_is_no_pair(repo, mine):
    old = py("f", "a = load()\nb = a + 1\nreturn b")
    person(repo, {"app.py": old})
    claude(repo, {"app.py": py("f", "a = load()\nb = a + 1\nlog(b)\nreturn b")})
    person(repo, {"app.py": py("f", "a = load_all()\nb = a + 1\nlog(b)\nreturn b")})
    rows, report = mine(repo)
    assert rows == []
    assert report["skips"]["not_agent_lines"] == 1


def test_a_line_the_agent_only_reindented_keeps_its_earlier_author(repo, mine):
    person(repo, {"app.py": "def f(x):\n    if x:\n        return 1\n    return 2\n"})
    claude(repo, {"app.py": "def f(x):\n    if x:\n            return 1\n    return 2\n"})
    person(repo, {"app.py": "def f(x):\n    if x:\n            return 10\n    return 2\n"})
    rows, _ = mine(repo)
    assert rows == []


def test_a_line_the_agent_rewrapped_keeps_its_earlier_author(repo, mine):
    person(repo, {"app.js": "function f(a, b) {\n  return g(a, b);\n}\n"})
    claude(repo, {"app.js": "function f(a, b) {\n  return g(\n    a,\n    b,\n  );\n}\n"})
    person(repo, {"app.js": "function f(a, b) {\n  return g(\n    a,\n    b + 1,\n  );\n}\n"})
    rows, _ = mine(repo)
    assert rows == []


def test_an_empty_literal_is_content_not_a_lone_bracket(repo, mine):
    """`[],` (a hook's dependency list) is a value the agent wrote: putting `messages` back in
    it corrects the agent, though the line holds only brackets."""
    hook = "const f = useCallback(\n  (e) => {\n    return messages.some((m) => m.id === e.id);\n  },\n  {deps},\n);\n"
    person(repo, {"app.js": hook.replace("{deps}", "[messages]")})
    agent = claude(repo, {"app.js": hook.replace("{deps}", "[]")})
    person(repo, {"app.js": hook.replace("{deps}", "[messages]")})
    rows, _ = mine(repo)
    assert [(r["metadata"]["function"], r["metadata"]["rejected_commit"]) for r in rows] == [
        ("f", agent)
    ]


def test_the_pair_links_to_the_agent_commit_that_wrote_the_changed_lines(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    first = claude(repo, {"app.py": py("f", "a = int(x)\nreturn a")})
    second = claude(repo, {"app.py": py("f", "a = int(x)\nlog(a)\nreturn a")})
    person(repo, {"app.py": py("f", "a = float(x)\nlog(a)\nreturn a")})
    rows, _ = mine(repo)
    assert [r["metadata"]["rejected_commit"] for r in rows] == [first]
    assert second != first


def test_the_link_goes_to_the_changed_agent_line_not_one_the_insertion_borders(repo, mine):
    """The person changes the first agent commit's line and inserts code after the second's:
    the change answers the first; bordering lines decide only where no agent line changed."""

    def dated(day: int) -> dict[str, str]:  # the second agent commit is the later one
        return {
            "GIT_AUTHOR_DATE": f"2026-01-0{day}T12:00:00",
            "GIT_COMMITTER_DATE": f"2026-01-0{day}T12:00:00",
        }

    person(repo, {"app.py": py("f", "return 0")})
    first = repo.commit(
        "agent: one" + CLAUDE, {"app.py": py("f", "a = int(x)\nreturn a")}, env=dated(1)
    )
    second = repo.commit(
        "agent: two" + CLAUDE, {"app.py": py("f", "a = int(x)\nlog(a)\nreturn a")}, env=dated(2)
    )
    person(repo, {"app.py": py("f", "a = float(x)\nlog(a)\ncheck(a)\nreturn a")})
    rows, _ = mine(repo)
    assert [r["metadata"]["rejected_commit"] for r in rows] == [first]
    later = person(repo, {"app.py": py("f", "a = float(x)\nlog(a)\nflush()\ncheck(a)\nreturn a")})
    rows, _ = mine(repo)  # only an insertion, after the second's line: that line decides
    linked = [
        r["metadata"]["rejected_commit"] for r in rows if r["metadata"]["chosen_commit"] == later
    ]
    assert linked == [second]


def test_an_agent_commit_superseded_by_a_later_agent_rewrite_is_not_the_one_corrected(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    claude(repo, {"app.py": py("f", "return int(x)")})
    rewrite = claude(repo, {"app.py": py("f", "return float(x)")})
    person(repo, {"app.py": py("f", "return round(float(x))")})
    rows, _ = mine(repo)
    assert [r["metadata"]["rejected_commit"] for r in rows] == [rewrite]


def test_an_insertion_next_to_agent_lines_counts_and_one_among_the_persons_lines_does_not(
    repo, mine
):
    person(repo, {"app.py": py("f", "a = 1\nb = 2\nc = 3\nreturn a")})
    claude(repo, {"app.py": py("f", "a = 1\nb = 2\nc = 3\nreturn a + b + c + x")})
    person(repo, {"app.py": py("f", "a = 1\nlog(a)\nb = 2\nc = 3\nreturn a + b + c + x")})
    assert mine(repo)[0] == []  # inserted between two of the person's own lines
    person(repo, {"app.py": py("f", "a = 1\nlog(a)\nb = 2\nc = 3\nassert x\nreturn a + b + c + x")})
    rows, _ = mine(repo)
    assert functions(rows) == [("fix", "f")]  # a guard right before the agent's line


def test_an_insertion_beside_the_agents_lines_goes_with_the_persons_own_edit(repo, mine):
    """The person rewrites their own line and adds code next to the agent's as part of it:
    nothing the agent wrote was changed. Tokens put into the agent's line edit that line."""
    person(repo, {"app.py": py("f", "a = load()\nreturn a")})
    claude(repo, {"app.py": py("f", "a = load()\nlog(a)\nreturn a")})
    person(repo, {"app.py": py("f", "a = load(strict=True)\nlog(a)\ncheck(a)\nreturn a")})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1
    person(repo, {"app.py": py("f", "a = load(strict=False)\nlog(a, level=2)\ncheck(a)\nreturn a")})
    assert functions(mine(repo)[0]) == [("fix", "f")]


def test_a_guard_opened_over_the_agents_line_is_an_edit_of_it(repo, mine):
    """`if a:` put over the agent's line (the line re-indented under it) guards that line,
    even while the person also edits their own lines of the function."""
    person(repo, {"app.py": py("f", "a = load()\nreturn a")})
    claude(repo, {"app.py": py("f", "a = load()\nlog(a)\nreturn a")})
    person(repo, {"app.py": py("f", "a = fetch()\nif a:\n    log(a)\nreturn a")})
    assert functions(mine(repo)[0]) == [("fix", "f")]


def test_a_function_moved_in_its_file_is_judged_by_its_own_diff(repo, mine):
    """The person moves the agent's function below a long one and edits a line of their own
    in it: the file's diff reads the moved lines as deleted, the function's diff does not."""
    long = py("setup", "\n".join(f"v{i} = step({i})" for i in range(40)) + "\nreturn v0")
    small = py("f", "a = load()\nlog(a)\nreturn a")
    person(repo, {"app.py": py("f", "a = load()\nreturn a") + "\n\n" + long})
    claude(repo, {"app.py": small + "\n\n" + long})
    moved = py("f", "a = load(strict=True)\nlog(a)\nreturn a")
    person(repo, {"app.py": long + "\n\n" + moved})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1


def test_code_that_continues_the_line_above_belongs_with_it(repo, mine):
    """A chained `.or_else(…)` put between the person's `.as_str()` and the agent's
    `.ok_or(…)` continues the person's expression; an `else` appended to the agent's `if`
    continues the agent's."""
    chain = "fn f(v: &V) -> R {\n    v.get()\n        .as_str()\n{agent}        .unwrap()\n}\n"
    person(repo, {"src/a.rs": chain.replace("{agent}", "")})
    claude(repo, {"src/a.rs": chain.replace("{agent}", "        .ok_or(E)\n")})
    person(
        repo,
        {"src/a.rs": chain.replace("{agent}", "        .or_else(|| v.hex())\n        .ok_or(E)\n")},
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1
    person(repo, {"app.py": "def g(x):\n    y = 0\n    return y\n"})
    claude(repo, {"app.py": "def g(x):\n    y = 0\n    if x:\n        y = x\n    return y\n"})
    person(
        repo,
        {
            "app.py": "def g(x):\n    y = 0\n    if x:\n        y = x\n    else:\n        y = -1\n    return y\n"
        },
    )
    assert functions(mine(repo)[0]) == [("fix", "g")]


def test_a_comment_inserted_next_to_an_agents_line_touches_no_code(repo, mine):
    """The person documents the function beside the agent's line and edits their own line
    further down: nothing the agent wrote was changed."""
    person(repo, {"app.py": py("f", "a = load()\nb = a + 1\nc = b * 2\nreturn c")})
    claude(repo, {"app.py": py("f", "a = load()\nlog(a)\nb = a + 1\nc = b * 2\nreturn c")})
    person(
        repo,
        {
            "app.py": py(
                "f", "a = load()\nlog(a)\n# b counts from one\nb = a + 1\nc = b * 2\nreturn c + 1"
            )
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1


def test_a_doc_comment_added_above_an_agents_function_is_a_docs_pair(repo, mine):
    person(repo, {"app.go": "package app\n\nvar X = 1\n"})
    body = "func Scale(v int) int {\n\treturn v * 2\n}\n"
    claude(repo, {"app.go": "package app\n\nvar X = 1\n\n" + body})
    person(repo, {"app.go": "package app\n\nvar X = 1\n\n// Scale doubles v.\n" + body})
    rows, _ = mine(repo)
    assert [(r["metadata"]["function"], r["task"]) for r in rows] == [("Scale", "docs")]


def test_code_a_feature_commit_inserts_is_the_features_not_a_correction(repo, mine):
    """`feat: …` or `Add …` announces new work: the lines it inserts next to the agent's are
    that work; an agent line it changes is still a correction."""
    person(repo, {"app.py": py("f", "a = 1\nreturn a")})
    claude(repo, {"app.py": py("f", "a = 1\nb = a * 2\nreturn b")})
    grown = py("f", "a = 1\nb = a * 2\nnotify(b)\nreturn b")
    person(repo, {"app.py": grown}, message="feat(cli): notify on every run")
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1
    person(repo, {"app.py": grown.replace("a * 2", "a * 3")}, message="Add the triple mode")
    assert functions(mine(repo)[0]) == [("fix", "f")]


def test_the_titles_that_announce_new_work() -> None:
    from selfware_git.miner.trail import announces_new_work

    for title in (
        "feat: x",
        "feat(cli)!: x",
        "Feature: x",
        "Add retries",
        "adds x",
        "Implement y",
        "Support loops",
        "Introduce z",
    ):
        assert announces_new_work(title + "\n\nbody"), title
    for title in (
        "fix: add missing check",
        "Address review",
        "Adding to the confusion: fix f",
        "Refactor the feature flag",
        "Supported? no",
    ):
        assert not announces_new_work(title), title


def test_code_put_in_place_of_a_blank_or_bracket_line_of_the_agents_is_an_insertion_there(
    repo, mine
):
    person(repo, {"app.py": "def g():\n    return 0\n"})
    agent = "def f(x):\n    if x:\n        a = load(x)\n\n    return a\n"
    claude(repo, {"app.py": agent})
    person(
        repo,
        {"app.py": agent.replace("\n\n    return", "\n    else:\n        a = None\n    return")},
    )
    rows, _ = mine(repo)
    assert functions(rows) == [("fix", "f")]  # a blank line among the agent's lines replaced
    hook = "function useThing(m) {\n  return useCallback(() => {\n    send(m);\n  }, []);\n}\n"
    claude(repo, {"app.js": hook})
    person(repo, {"app.js": hook.replace("}, []);", "}, [m]);")})
    rows, _ = mine(repo)
    assert ("fix", "useThing") in functions(rows)  # a lone-bracket line: the missing dependency


# --- 2. texts --------------------------------------------------------------------------------
def test_rejected_is_the_function_right_before_the_persons_commit(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    claude(repo, {"app.py": py("f", "y = int(x)\nreturn y")})
    person(repo, {"app.py": "import os\n\n\n" + py("f", "# parse\ny = int(x)\nreturn y")})
    person(repo, {"app.py": "import os\n\n\n" + py("f", "# parse\ny = int(x, 10)\nreturn y")})
    rows, _ = mine(repo)
    assert pair_set(rows) == {
        (
            "fix",
            "f",
            strip(py("f", "# parse\ny = int(x)\nreturn y")),
            strip(py("f", "# parse\ny = int(x, 10)\nreturn y")),
        )
    }


# --- 3. mechanical edits ---------------------------------------------------------------------
def test_formatter_only_changes_are_counted_not_paired(repo, mine):
    person(repo, {"app.js": "function f(a) {\n  return 0;\n}\n"})
    claude(repo, {"app.js": "function f(a) {\n  const s = 'x';\n  return g(s, a,);\n}\n"})
    person(repo, {"app.js": 'function f(a) {\n  const s = "x"\n  return g(s, a)\n}\n'})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["formatter_only"] == 1


def test_black_unescaping_quotes_and_casing_numbers_is_formatter_only(repo, mine):
    person(repo, {"app.py": "X = 1\n"})
    claude(repo, {"app.py": py("f", "s = 'it\\'s'\nreturn s, 0XFF, 1E5")})
    person(repo, {"app.py": py("f", 's = "it\'s"\nreturn s, 0xFF, 1e5')})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["formatter_only"] == 1


def test_a_jsx_comment_dropped_and_black_docstring_quotes_are_no_pairs(repo, mine):
    person(repo, {"app.tsx": "export const X = 1;\n", "app.py": "X = 1\n"})
    view = (
        "export function Card() {{\n  return (\n    <div>\n{}      <span />\n    </div>\n  );\n}}\n"
    )
    claude(
        repo,
        {
            "app.tsx": view.format("      {/* the agent's note */}\n"),
            "app.py": py("f", "'''Double x.'''\nreturn x * 2"),
        },
    )
    person(repo, {"app.tsx": view.format(""), "app.py": py("f", '"""Double x."""\nreturn x * 2')})
    rows, report = mine(repo)
    assert rows == []
    assert (report["skips"]["comment_only"], report["skips"]["formatter_only"]) == (1, 1)


def test_a_go_rune_made_a_string_is_a_pair_not_a_quote_style(repo, mine):
    person(repo, {"app.go": "package app\n"})
    claude(repo, {"app.go": "package app\n\nfunc show(w io.Writer) {\n\tfmt.Fprint(w, ',')\n}\n"})
    person(repo, {"app.go": 'package app\n\nfunc show(w io.Writer) {\n\tfmt.Fprint(w, ",")\n}\n'})
    rows, _ = mine(repo)
    assert functions(rows) == [("fix", "show")]  # a rune prints as its number: a real fix


def test_comment_only_changes_are_counted_and_docstring_changes_are_pairs(repo, mine):
    person(repo, {"app.py": py("f", "return 0") + "\n\n" + py("g", "return 0")})
    agent_f = py("f", "# add one\nreturn x + 1")
    agent_g = py("g", '"""Double x."""\nreturn x * 2')
    claude(repo, {"app.py": agent_f + "\n\n" + agent_g})
    person_f = py("f", "# increment\nreturn x + 1")
    person_g = py("g", '"""Return x doubled; x must be a number."""\nreturn x * 2')
    person(repo, {"app.py": person_f + "\n\n" + person_g})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "g")]
    assert report["skips"]["comment_only"] == 1


IMPORT_EDITS = [
    # (language, path, agent's function, person's function, a pair?)
    (
        "python",
        "a.py",
        "def f(x):\n    from m import (\n        a,\n        b,\n    )\n    return a(x)\n",
        "def f(x):\n    from m import a\n    return a(x)\n",  # an unused import dropped
        False,
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    import os\n    import json\n    return json.dumps(x)\n",
        "def f(x):\n    return json.dumps(x)\n",  # moved to the module's top: a style
        True,
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    import os\n    import json\n    return json.dumps(x)\n",
        "def f(x):\n    import json\n    return json.dumps(x)\n",  # os was never used
        False,
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    from typing import TypedDict\n    return TypedDict(x)\n",
        "def f(x):\n    from typing_extensions import TypedDict\n    return TypedDict(x)\n",
        True,  # the wrong module: a correction
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    import os\n    import json\n    return json.dumps(x)\n",
        "def f(x):\n    import json\n    return json.dumps(x, indent=2)\n",
        True,  # the code changes too
    ),
    (
        "rust",
        "a.rs",
        "fn f() -> u8 {\n    use std::fmt;\n    use std::io::Write;\n    g()\n}\n",
        "fn f() -> u8 {\n    use std::io::Write;\n    g()\n}\n",
        False,
    ),
]


@pytest.mark.parametrize(
    ("language", "path", "agent", "fixed", "pair"),
    IMPORT_EDITS,
    ids=["unused_name", "moved_to_module", "unused_module", "wrong_module", "code_too", "rust_use"],
)
def test_unused_imports_dropped_are_housekeeping_not_a_pair(
    repo, mine, language, path, agent, fixed, pair
):
    """An import the function never used, dropped (a lint run), leaves the agent's code as it
    was: no pair. An import moved to the module's top while the function uses it (the person's
    style), one from another module, or a change of code too, is a pair."""
    person(repo, {path: "\n"})
    claude(repo, {path: agent})
    person(repo, {path: fixed}, "tidy f")
    rows, report = mine(repo)
    assert functions(rows) == ([("fix", "f")] if pair else [])
    assert report["skips"].get("imports_only", 0) == (0 if pair else 1)


def test_new_code_built_into_the_agents_function_is_growth_not_a_pair(repo, mine):
    """Sixteen new lines (a new mode) and a parameter added to the agent's header, nothing of
    its code changed: the function grew. The same growth with two of the agent's words
    corrected (the start value, the operator) stays a pair."""
    agent = py("f", "total = 0\nfor i in items:\n    total += i\nreturn total", params="items")
    new_mode = "".join(f"if mode == {n}:\n    total = step{n}(total)\n" for n in range(8))
    person(repo, {"app.py": "X = 1\n", "lib.py": "Y = 1\n"})
    claude(repo, {"app.py": agent, "lib.py": agent.replace("def f", "def g")})
    grown = py(
        "f",
        "total = 0\nfor i in items:\n    total += i\n" + new_mode + "return total",
        params="items, mode=0",
    )
    corrected = py(
        "g",
        "total = start\nfor i in items:\n    total -= i\n" + new_mode + "return total",
        params="items, mode=0, start=0",
    )
    person(repo, {"app.py": grown, "lib.py": corrected}, "Modes for the totals")
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "g")]
    assert report["skips"]["growth"] == 1


def test_new_code_under_a_title_that_says_fix_stays_a_pair(repo, mine):
    """Sixteen lines built into the agent's function by a commit titled `fix: …`: the new
    code may be the fix (a missing check, a rollback), so it is a pair."""
    agent = py("f", "total = 0\nfor i in items:\n    total += i\nreturn total", params="items")
    checks = "".join(f"if not valid{n}(total):\n    total = repair{n}(total)\n" for n in range(8))
    person(repo, {"app.py": "X = 1\n"})
    claude(repo, {"app.py": agent})
    fixed = py(
        "f",
        "total = 0\nfor i in items:\n    total += i\n" + checks + "return total",
        params="items, strict=False",
    )
    person(repo, {"app.py": fixed}, "fix(totals): repair invalid totals")
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "f")]
    assert "growth" not in report["skips"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("feat: modes for the totals", [("fix", "g")]),
        ("Add modes for the totals", [("fix", "g")]),
        ("Modes for the totals", [("fix", "f"), ("fix", "g")]),
    ],
)
def test_under_a_new_work_title_a_change_that_mostly_adds_is_growth(repo, mine, title, expected):
    """A commit that announces new work threads it through the agent's function: six new
    lines, two of its lines changed (8 added, 2 removed), is growth. Its twin, four of the
    agent's lines changed and two added, is a correction in the same commit; without the
    new-work title the smaller growth is a pair too."""
    agent = py("f", "total = 0\nfor i in items:\n    total += i\nreturn total", params="items")
    person(repo, {"app.py": "X = 1\n", "lib.py": "Y = 1\n"})
    claude(repo, {"app.py": agent, "lib.py": agent.replace("def f", "def g")})
    new_mode = "".join(f"if mode == {n}:\n    total = step{n}(total)\n" for n in range(3))
    grown = py(
        "f",
        "total = base\nfor i in items:\n    total += i\n" + new_mode + "return total",
        params="items, mode=0, base=0",
    )
    corrected = py(
        "g",
        "total = start\nfor i in items:\n    total -= i\nif total < 0:\n    total = 0\nreturn total + 1",
        params="items, start=0",
    )
    person(repo, {"app.py": grown, "lib.py": corrected}, title)
    rows, report = mine(repo)
    assert functions(rows) == expected
    assert report["skips"].get("growth", 0) == 2 - len(expected)


def test_an_agents_test_changed_under_a_new_work_title_stays_a_pair(repo, mine):
    """A test is no feature that grows: the agent's test reworked (its setup replaced, new
    checks added) in a commit titled `Add …` corrects the test, as the same change of a
    function there would be growth."""
    body = "repo = make_repo()\nresult = undo(repo)\nassert result is None"
    person(repo, {"tests/test_undo.py": "X = 1\n", "app.py": "Y = 1\n"})
    claude(
        repo,
        {
            "tests/test_undo.py": py("test_undo", body, params=""),
            "app.py": py("undo_all", body, params=""),
        },
    )
    fixed = (
        "repo = make_repo()\ncommit(repo, 'first')\ncommit(repo, 'second')\nresult = undo(repo)\n"
        "assert result == 'first'\nassert head(repo) == 'first'\nassert clean(repo)\nassert log(repo) == ['first']"
    )
    person(
        repo,
        {
            "tests/test_undo.py": py("test_undo", fixed, params=""),
            "app.py": py(
                "undo_all",
                body.replace("None", "False") + "".join(f"\nstep_{i}(repo)" for i in range(6)),
                "",
            ),
        },
        "Add a test of undo after two commits",
    )
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "test_undo")]
    assert report["skips"]["growth"] == 1


def test_a_pure_rename_of_the_function_is_no_pair_but_renamed_parameters_are(repo, mine):
    person(repo, {"app.py": "X = 1\n"})
    claude(repo, {"app.py": py("calc", "return x * 2") + "\n\n" + py("area", "return x * x")})
    after = py("double", "return x * 2") + "\n\n" + py("area", "return side * side", params="side")
    person(repo, {"app.py": after})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "area")]
    assert rows[0]["task"] == "naming"
    assert report["skips"]["pure_rename"] == 1


def test_call_sites_that_follow_a_rename_made_elsewhere_are_ripples(repo, mine):
    person(repo, {"lib.py": py("fetch_data", "return x"), "app.py": "X = 1\n"})
    claude(repo, {"app.py": py("run", "y = fetch_data(x)\nreturn y + 1")})
    person(
        repo,
        {
            "lib.py": py("load_data", "return x"),
            "app.py": py("run", "y = load_data(x)\nreturn y + 1"),
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def test_uses_that_follow_a_module_constant_renamed_elsewhere_are_ripples(repo, mine):
    """A module-level `NAME = …` is a definition: renamed where it is defined, the agent's
    uses that only follow it are ripples; a use whose logic changes too stays a pair."""
    person(repo, {"limits.py": "MAX_SIZE = 10\n", "app.py": "X = 1\n"})
    agents = [py("fits", "return len(x) <= MAX_SIZE"), py("room", "return MAX_SIZE - len(x)")]
    claude(repo, {"app.py": "\n\n".join(agents)})
    people = [
        py("fits", "return len(x) <= DEFAULT_MAX_SIZE"),
        py("room", "return DEFAULT_MAX_SIZE - len(x) - 1"),
    ]
    person(repo, {"limits.py": "DEFAULT_MAX_SIZE = 10\n", "app.py": "\n\n".join(people)})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "room")] and report["skips"]["ripple"] == 1


def test_call_sites_that_follow_a_move_into_another_package_are_ripples(repo, mine):
    """`tryFileLock` and `errLockContended` move into package lock as `TryFile` and
    `ErrContended`: the agent's call site only follows. A call switched to a new function
    whose name shares nothing with the old one's (`unlockFile` → `lock.Release`) stays a pair.
    Of the new names `TryFile` and `File`, the one sharing most words is the move's."""
    helpers = (
        'package store\n\nvar errLockContended = errors.New("contended")\n\n'
        "func tryFileLock(p string) error {\n\treturn flock(p)\n}\n\n"
        "func unlockFile(p string) error {\n\treturn funlock(p)\n}\n"
    )
    person(repo, {"store/helpers.go": helpers, "store/store.go": "package store\n"})
    agent = (
        "package store\n\nfunc acquire(p string) error {\n"
        "\tif err := tryFileLock(p); err == errLockContended {\n\t\treturn nil\n\t}\n"
        "\treturn nil\n}\n\nfunc release(p string) error {\n\treturn unlockFile(p)\n}\n"
    )
    claude(repo, {"store/store.go": agent})
    moved = (
        'package lock\n\nvar ErrContended = errors.New("contended")\n\n'
        "func TryFile(p string) error {\n\treturn flock(p)\n}\n\n"
        "func File(p string) error {\n\treturn wait(p)\n}\n\n"
        "func Release(p string) error {\n\treturn funlock(p)\n}\n"
    )
    followed = (
        agent.replace("tryFileLock(p)", "lock.TryFile(p)")
        .replace("errLockContended", "lock.ErrContended")
        .replace("unlockFile(p)", "lock.Release(p)")
    )
    person(
        repo,
        {"store/helpers.go": "package store\n", "lock/lock.go": moved, "store/store.go": followed},
    )
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "release")] and report["skips"]["ripple"] == 1


def test_a_call_site_that_qualifies_a_function_moved_to_another_module_is_a_ripple(repo, mine):
    person(repo, {"app.py": py("helper", "return x") + "\n\n" + py("main", "return 0")})
    claude(repo, {"app.py": py("helper", "return x") + "\n\n" + py("main", "return helper(x) + 1")})
    person(
        repo,
        {"utils.py": py("helper", "return x"), "app.py": py("main", "return utils.helper(x) + 1")},
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def test_call_sites_that_follow_a_signature_change_made_elsewhere_are_ripples(repo, mine):
    lib = "fn fetch(url: &str) -> String {\n    url.to_string()\n}\n"
    person(repo, {"src/lib.rs": lib, "src/app.rs": "const X: u8 = 1;\n"})
    claude(
        repo, {"src/app.rs": 'fn run(u: &str) -> String {\n    let s = fetch(u);\n    s + "!"\n}\n'}
    )
    lib2 = "fn fetch(\n    url: &str,\n    timeout: u64,\n) -> String {\n    url.to_string()\n}\n"
    person(
        repo,
        {
            "src/lib.rs": lib2,
            "src/app.rs": 'fn run(u: &str) -> String {\n    let s = fetch(u, 30);\n    s + "!"\n}\n',
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def test_call_sites_that_follow_a_rename_with_new_parameters_are_ripples(repo, mine):
    lib = "pub(crate) fn send_all(&self, txs: Vec<Tx>) {\n    self.q.push(txs);\n}\n"
    person(repo, {"src/lib.rs": lib, "src/app.rs": "const X: u8 = 1;\n"})
    claude(repo, {"src/app.rs": "fn run(b: &B, tx: Tx) {\n    b.send_all(vec![tx]);\n}\n"})
    lib2 = "pub(crate) fn send_one(&self, tx: Tx) {\n    self.q.push(vec![tx]);\n}\n"
    person(
        repo,
        {"src/lib.rs": lib2, "src/app.rs": "fn run(b: &B, tx: Tx) {\n    b.send_one(tx);\n}\n"},
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


AGENT_CALL = "def run(store):\n    keys = store.list_keys(NS, None)\n    return keys\n"


def _prepared_call(repo, call_site: str) -> None:
    """The agent calls list_keys; the person adds a parameter to it and changes the call."""
    lib = "def list_keys(ns, token):\n    return []\n"
    person(repo, {"lib.py": lib, "app.py": "X = 1\n"})
    claude(repo, {"app.py": AGENT_CALL})
    lib2 = "def list_keys(ns, prefix, token):\n    return []\n"
    person(repo, {"lib.py": lib2, "app.py": call_site})


def test_new_lines_that_only_prepare_a_changed_calls_arguments_are_part_of_the_ripple(repo, mine):
    _prepared_call(
        repo,
        "def run(store):\n    prefix = make_prefix(NS)\n    keys = store.list_keys(NS, prefix, None)\n    return keys\n",
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def test_a_new_line_that_feeds_no_changed_call_keeps_the_pair(repo, mine):
    _prepared_call(
        repo,
        "def run(store):\n    if store is None:\n        return []\n    keys = store.list_keys(NS, '', None)\n    return keys\n",
    )
    assert functions(mine(repo)[0]) == [("fix", "run")]


JIT = "fn pay(cm: &Cm, h: Hash) -> Option<P> {\n    cm.get_preimage(h, None).ok()\n}\n"


def test_a_deleted_call_of_a_function_the_commit_removes_is_part_of_the_ripple(repo, mine):
    """The setter is gone and its value now goes to the builder's call: the call site follows
    the API change, the deleted setter call with it."""
    lib = "def set_seed(b, s):\n    b.seed = s\n\n\ndef build(b, url):\n    return b\n"
    person(repo, {"lib.py": lib, "app.py": "X = 1\n"})
    claude(
        repo,
        {
            "app.py": "def restart(b):\n    set_seed(b, SEED)\n    node = build(b, URL)\n    return node\n"
        },
    )
    person(
        repo,
        {
            "lib.py": "def build(b, seed, url):\n    return b\n",
            "app.py": "def restart(b):\n    node = build(b, SEED, URL)\n    return node\n",
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def _agent_calls_the_dependency(repo) -> None:
    """A Rust crate on lightning 0.2 whose `pay` the agent wrote, calling the dependency."""
    person(
        repo,
        {"Cargo.toml": '[dependencies]\nlightning = "0.2"\n', "src/app.rs": "const X: u8 = 1;\n"},
    )
    claude(repo, {"src/app.rs": JIT})


def test_a_call_renamed_in_a_dependency_bump_is_a_ripple(repo, mine):
    """The dependency renamed its method: the person's call site follows an API change made
    outside the repository, in the commit that bumps the dependency."""
    _agent_calls_the_dependency(repo)
    person(
        repo,
        {
            "Cargo.toml": '[dependencies]\nlightning = "0.3"\n',
            "src/app.rs": "fn pay(cm: &Cm, h: Hash) -> Option<P> {\n    let mut meta = h.meta();\n    cm.get_preimage_decrypt(h, meta.as_mut()).ok()\n}\n",
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["ripple"] == 1


def test_a_call_switched_to_another_function_without_a_dependency_bump_is_a_pair(repo, mine):
    _agent_calls_the_dependency(repo)
    person(
        repo,
        {
            "src/app.rs": "fn pay(cm: &Cm, h: Hash) -> Option<P> {\n    cm.get_preimage_checked(h, None).ok()\n}\n"
        },
    )
    assert functions(mine(repo)[0]) == [("fix", "pay")]


def test_a_call_site_put_back_as_it_was_before_the_agent_is_no_ripple(repo, mine):
    """The agent added a parameter and passed it; the person takes both back: the call site
    undoes the agent's own edit, a correction, not a mechanical follow-up."""
    person(
        repo,
        {
            "lib.py": "def execute(cmd):\n    return run(cmd)\n",
            "app.py": py("serve", "out = execute(cmd)\nreturn out"),
        },
    )
    claude(
        repo,
        {
            "lib.py": "def execute(cmd, user):\n    return run(cmd, user)\n",
            "app.py": py("serve", "out = execute(cmd, user)\nreturn out"),
        },
    )
    person(
        repo,
        {
            "lib.py": "def execute(cmd):\n    return run(cmd)\n",
            "app.py": py("serve", "out = execute(cmd)\nreturn out"),
        },
    )
    rows, _ = mine(repo)
    assert functions(rows) == [("fix", "execute"), ("fix", "serve")]


def test_a_call_whose_arguments_the_person_fixes_is_a_pair(repo, mine):
    person(repo, {"app.py": "X = 1\n"})
    claude(repo, {"app.py": py("run", "return fetch(x, retries=0)")})
    person(repo, {"app.py": py("run", "return fetch(x, retries=3)")})
    assert functions(mine(repo)[0]) == [("fix", "run")]


def test_one_substitution_across_many_functions_is_a_sweep(repo, mine):
    bodies = {f"f{i}": "return old_api(x)" for i in range(6)}
    person(repo, {"old.py": "\n\n".join(py(n, b) for n, b in list(bodies.items())[:4])})
    claude(repo, {"new.py": "\n\n".join(py(n, b) for n, b in list(bodies.items())[4:])})
    swept = {n: b.replace("old_api", "new_api") for n, b in bodies.items()}
    person(
        repo,
        {
            "old.py": "\n\n".join(py(n, b) for n, b in list(swept.items())[:4]),
            "new.py": "\n\n".join(py(n, b) for n, b in list(swept.items())[4:]),
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["sweep"] == 2


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("reworded", [("fix", "load")]),
        ("reworded_among_new_lines", [("fix", "load")]),
        ("changed_otherwise", [("fix", "load")]),
        ("kept", [("fix", "save"), ("fix", "test_load")]),
    ],
)
def test_a_test_that_follows_a_change_of_the_source_it_calls_follows_the_source(
    repo, mine, source, expected
):
    """The person changes the agent's `load` and the agent's test of it expects new words:
    the source's row says the correction, the test only follows it, whether its change
    repeats the source's (also where the source's hunk holds more than the reworded message)
    or not. Where the commit leaves `load` alone (it changes `save`), the test's change is the
    person's own answer to the agent's test, a pair."""
    old, new = "no config file found", "config path missing: pass --config"
    test = py("test_load", f"with pytest.raises(ValueError, match='{old}'):\n    load(None)", "")
    message = f"raise ValueError('{old}')"
    save = py("save", "return x")
    claude(
        repo,
        {
            "app.py": py("load", f"if x is None:\n    {message}\nreturn x") + "\n\n" + save,
            "tests/test_app.py": test,
        },
    )
    body = {
        "reworded": f"if x is None:\n    {message.replace(old, new)}\nreturn x",
        "reworded_among_new_lines": (
            f"if x is None:\n    {message.replace(old, new)}\n"
            "if not x.strip():\n    raise ValueError('config path is empty, pass a file')\nreturn x"
        ),
        "changed_otherwise": f"if x is None:\n    {message}\nreturn x.strip()",
        "kept": f"if x is None:\n    {message}\nreturn x",
    }[source]
    saved = save.replace("return x", "return x.strip()") if source == "kept" else save
    person(
        repo,
        {"app.py": py("load", body) + "\n\n" + saved, "tests/test_app.py": test.replace(old, new)},
    )
    rows, report = mine(repo)
    assert functions(rows) == expected
    assert report["skips"].get("follows_source", 0) == (source != "kept")


SNAPSHOT_TESTS = {
    "python": (
        "tests/test_app.py",
        "def test_load():\n    assert load({call}) == snapshot({{'size': {value}}})\n",
    ),
    "typescript": (
        "src/app.test.ts",
        "it('loads', () => {{\n  expect(load({call})).toMatchInlineSnapshot(`{{ size: {value} }}`);\n}});\n",
    ),
    "rust": (
        "tests/app.rs",
        "#[test]\nfn loads() {{\n    insta::assert_debug_snapshot!(load({call}), @\"Size({value})\");\n}}\n",
    ),
}  # fmt: skip


@pytest.mark.parametrize("language", sorted(SNAPSHOT_TESTS))
@pytest.mark.parametrize(
    ("call", "expected_rows"), [("1", 0), ("2", 1)], ids=["snapshot_only", "call_too"]
)
def test_an_inline_snapshot_rewritten_follows_the_code_it_records(
    repo, mine, language, call, expected_rows
):
    """A snapshot tool (inline-snapshot, Vitest, insta) rewrites an inline snapshot with the
    output the code now gives: a change only there is no verdict on the agent's test; one
    that also changes what the test runs is."""
    path, text = SNAPSHOT_TESTS[language]
    claude(repo, {path: text.format(call="1", value="3")})
    person(repo, {path: text.format(call=call, value="4")})
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("snapshot_update", 0) == 1 - expected_rows


def test_a_method_named_snapshot_is_no_inline_snapshot(repo, mine):
    test = "def test_store():\n    assert store.snapshot({}) == 3\n"
    claude(repo, {"tests/test_store.py": test.format("1")})
    person(repo, {"tests/test_store.py": test.format("2")})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "test_store")]
    assert "snapshot_update" not in report["skips"]


def test_a_test_beside_its_source_is_judged_against_the_source_not_itself(repo, mine):
    """A test kept in the source file (Rust's `mod tests`, a `test_` function in a module):
    its own hunk is no source change it could follow."""
    load = py("load", "raise ValueError('no config file found')")
    test = py("test_load", "assert message() == 'no config file found'", "")
    claude(repo, {"app.py": load + "\n\n" + test})
    person(repo, {"app.py": load + "\n\n" + test.replace("no config", "missing config")})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "test_load")]
    assert "follows_source" not in report["skips"]


@pytest.mark.parametrize(
    ("title", "adopters", "expected_rows"),
    [
        ("refactor: one shared kind check", 3, 0),
        ("refactor: one shared kind check", 2, 2),
        ("fix: the kind check raised the wrong error", 3, 3),
        ("refactor: fix the kind check", 3, 3),
        ("One shared kind check", 3, 3),
    ],
)
def test_adopting_a_helper_the_commit_introduces_in_several_places_follows_a_refactor(
    repo, mine, title, adopters, expected_rows
):
    """Each function's check is its own (no sweep); under a refactor title the person
    extracts one helper and puts it to use in three places: the functions follow the
    refactor. In two places, or under a title that says it fixes something or does not say it
    restructures, each change answers the agent's code."""
    kinds = "abc"[:adopters]
    person(repo, {"app.py": "X = 1\n"})
    agents = [
        py(f"get_{k}", f"if x.kind != {k!r}:\n    raise ValueError({k!r})\nreturn x.{k}")
        for k in kinds
    ]
    claude(repo, {"app.py": "X = 1\n\n\n" + "\n\n".join(agents)})
    helper = py("check", "if x.kind != kind:\n    raise TypeError(kind)", "x, kind")
    adopted = [py(f"get_{k}", f"check(x, {k!r})\nreturn x.{k}") for k in kinds]
    person(repo, {"app.py": "X = 1\n\n\n" + helper + "\n\n" + "\n\n".join(adopted)}, title)
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("adopts_refactor", 0) == adopters - expected_rows


def test_the_titles_that_say_a_commit_restructures_code() -> None:
    says = [
        "refactor(ui): standardize on one colour system",
        "Refactor conversation UI into modular components",
        "Migrate the store to zustand",
        "Extract the approvals component",
        "Validate names and consolidate the guard into one helper",
        "Add the new toolset, deprecate the old servers",
        "Standardise error messages",
        "chore(django): Remove transaction-based tracing",
        "ref: Remove the legacy branches from integrations",
        "style: one quote style",
    ]
    not_says = [
        "refactor: fix the lock order",
        "Prefactoring notes",
        "Update",
        "Move fast",
        "chore: fix the flaky retry",
        "Chores for the release, references updated",
    ]
    assert all(says_refactor(title) for title in says)
    assert not any(says_refactor(title) for title in not_says)


@pytest.mark.parametrize(
    ("title", "expected_rows"),
    [
        ("Load strictly", 6),
        ("fix: strict loading", 6),
        ("refactor: strict loading everywhere", 0),
        ("chore(store): strict loading everywhere", 0),
    ],
)
def test_the_same_fix_in_a_few_agent_functions_is_no_sweep(repo, mine, title, expected_rows):
    """Every place is the agent's: a correction made six times; under a title that says the
    commit restructures code, the same substitution in six places is that restructuring."""
    person(repo, {"app.py": "X = 1\n"})
    names = [f"f{i}" for i in range(6)]
    claude(repo, {"app.py": "\n\n".join(py(n, "return load(x)") for n in names)})
    person(
        repo, {"app.py": "\n\n".join(py(n, "return load(x, strict=True)") for n in names)}, title
    )
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("sweep", 0) == 6 - expected_rows


@pytest.mark.parametrize(("title", "expected_rows"), [("chore: one mode", 0), ("Use one mode", 6)])
def test_a_sweep_of_the_agents_lines_is_no_pair_whatever_else_changes(
    repo, mine, title, expected_rows
):
    """The agent wrote one line of each of six functions; a restructuring commit makes the same
    substitution on all six and, in each, also deletes lines the person wrote: what it does to
    the agent's code is the sweep, the rest is not the agent's. Under a title that does not
    say it restructures, the same fix of the agent's line in six places stays six pairs."""
    names = [f"f{i}" for i in range(6)]
    notes = dict(zip(names, ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"], strict=True))

    def body(name: str, mode: str, extra: str) -> str:
        return py(name, f"m = {mode}\nv = run(x, m)\n{extra}return v")

    person(repo, {"app.py": "\n\n".join(body(n, "'a'", f"note_{notes[n]}(v)\n") for n in names)})
    agents = "\n\n".join(body(n, "'a' if x else 'b'", f"note_{notes[n]}(v)\n") for n in names)
    claude(repo, {"app.py": agents})
    person(repo, {"app.py": "\n\n".join(body(n, "'a'", "") for n in names)}, title)
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("sweep", 0) == 6 - expected_rows


@pytest.mark.parametrize(("tasks", "expected_rows"), [(3, 0), (2, 6)])
def test_one_substitution_across_three_agent_tasks_is_a_sweep(repo, mine, tasks, expected_rows):
    """Only agents wrote these six functions: spread over three agent commits, the same
    substitution everywhere is a change across the codebase; within two, it answers them."""
    person(repo, {"app.py": "X = 1\n"})
    names = [f"f{i}" for i in range(6)]
    files = {}
    for task in range(tasks):
        mine_of_task = names[task::tasks]
        files[f"m{task}.py"] = mine_of_task
        claude(repo, {f"m{task}.py": "\n\n".join(py(n, "return old_api(x)") for n in mine_of_task)})
    person(
        repo,
        {
            path: "\n\n".join(py(n, "return new_api(x)") for n in owned)
            for path, owned in files.items()
        },
    )
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("sweep", 0) == 6 - expected_rows


@pytest.mark.parametrize(
    ("functions_changed", "tasks", "expected_rows"),
    [(21, 3, 0), (20, 3, 20), (21, 2, 21), (45, 1, 45)],
)
def test_a_commit_reworking_many_agent_functions_at_once_is_a_rewrite(
    repo, mine, functions_changed, tasks, expected_rows
):
    """Each function gets its own edit (no sweep). More than twenty functions of three agent
    tasks in one commit is a rewrite, a release or a migration, not an answer to the agents'
    code; reworking one or two agent tasks, however widely, stays pairs."""
    person(repo, {"app.py": "X = 1\n"})
    owned: dict[str, list[int]] = {f"m{t}.py": [] for t in range(tasks)}
    for i in range(functions_changed):
        owned[f"m{i % tasks}.py"].append(i)

    def files(body: str) -> dict[str, str]:
        return {
            path: "\n\n".join(py(f"f{i}", body.format(i=i)) for i in numbers)
            for path, numbers in owned.items()
        }

    for path, text in files("return load(x) + {i}").items():
        claude(repo, {path: text})
    person(repo, files("return load(x) + {i} * {i}"))  # an edit of its own in each
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("wide_commit", 0) == functions_changed - expected_rows


# --- 4 and 5. agents, bots and people ----------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "files", "expected_rows"),
    [
        ("Move the docs and the loader to the new layout", 30, 0),
        ("Move the docs and the loader to the new layout", 29, 1),
        ("fix: the loader drops the last record", 30, 1),
    ],
)
def test_a_commit_across_thirty_files_or_more_is_a_broad_change(
    repo, mine, title, files, expected_rows
):
    """Thirty files or more changed in one commit, under a title that does not say it fixes
    something: what it does to the agent's lines follows the broad change."""
    person(repo, {"app.py": "X = 1\n"})
    claude(repo, {"app.py": py("load", "return read(x)")})
    others = {f"docs/page{i}.md": f"page {i}\n" for i in range(files - 1)}
    person(repo, {"app.py": py("load", "return read(x)[:-1]"), **others}, title)
    rows, report = mine(repo)
    assert len(rows) == expected_rows
    assert report["skips"].get("broad_commit", 0) == 1 - expected_rows


def test_claude_as_author_and_aider_with_any_address_are_agents(repo, mine):
    person(repo, {"a.py": py("f", "return 0"), "b.py": py("g", "return 0")})
    repo.commit(
        "add f",
        {"a.py": py("f", "return int(x)")},
        env={
            "GIT_AUTHOR_NAME": "claude[bot]",
            "GIT_AUTHOR_EMAIL": "209825114+claude[bot]@users.noreply.github.com",
        },
    )
    repo.commit(
        "add g\n\nCo-authored-by: aider (anthropic/claude-sonnet-4) <noreply@aider.dev>",
        {"b.py": py("g", "return int(x)")},
    )
    person(repo, {"a.py": py("f", "return float(x)"), "b.py": py("g", "return float(x)")})
    rows, report = mine(repo)
    assert report["agents"] == {"aider": 1, "claude": 1}
    assert sorted(r["metadata"]["agent"] for r in rows) == ["aider", "claude"]


def test_crush_co_author_and_an_agent_account_are_agents_not_people(repo, mine):
    """Crush signs `Co-Authored-By: Charm Crush <crush@charm.land>`; an account named
    `…-agent` or writing from `agent@` is run by an agent: their edits of an agent's code
    are no person's correction, and their own code is the agent's."""
    claude(repo, {"a.py": py("f", "return int(x)"), "b.py": py("g", "return int(x)")})
    repo.commit(
        "flush on exit\n\nCo-Authored-By: Charm Crush <crush@charm.land>",
        {"a.py": py("f", "return float(x)")},
    )
    repo.commit(
        "tighten validation",
        {"b.py": py("g", "return float(x)")},
        env={"GIT_AUTHOR_NAME": "joe-agent", "GIT_AUTHOR_EMAIL": "agent@example.org"},
    )
    rows, report = mine(repo)
    assert rows == []
    assert report["agents"] == {"claude": 1, "crush": 1, "unnamed": 1}


def test_gas_town_identities_and_its_executed_by_trailer_are_agents(repo, mine):
    """Gas Town runs coding agents under identities like `beads/crew/giles` and signs the
    work of its workers with `Executed-By: beads/polecats/jade`."""
    claude(repo, {"a.py": py("f", "return int(x)"), "b.py": py("g", "return int(x)")})
    repo.commit(
        "errcheck close",
        {"a.py": py("f", "return float(x)")},
        env={"GIT_AUTHOR_NAME": "beads/crew/giles"},
    )
    repo.commit(
        "start timeout\n\nExecuted-By: beads/polecats/jade\nRig: beads\nRole: polecats",
        {"b.py": py("g", "return float(x)")},
        env={"GIT_AUTHOR_NAME": "jade"},
    )
    rows, report = mine(repo)
    assert rows == []
    assert report["agents"] == {"claude": 1, "gastown": 2}


SIGNED_AGENTS = [
    ("codex", "Co-authored-by: GPT-5 Codex <codex@openai.com>"),
    ("cursor", "Co-authored-by: Cursor Agent <cursoragent@cursor.com>"),
    ("claude", "Claude-Session: https://claude.ai/code/session_01ApEni3KiYfaiGTwZN7K58R"),
    ("claude", "*Created with Claude Code*"),
    ("cursor", "<!-- CURSOR_AGENT_PR_BODY_BEGIN -->\nAdds the check.\n<!-- CURSOR_AGENT_PR_BODY_END -->"),
    ("devin", "Link to Devin run: https://app.devin.ai/sessions/0b1c2d3e4f"),
    ("devin", "Co-Authored-By: Devin <bot@devin.ai>"),
    ("codex", "Used Codex CLI for this. Refs #12"),
    ("claude", "With the help of Claude Code: https://example.com/transcript"),
    # a message written on one line, its breaks escaped
    ("openhands", r"Tightens f.\n\nCo-authored-by: openhands <openhands@all-hands.dev>"),
]  # fmt: skip


@pytest.mark.parametrize(("agent", "marker"), SIGNED_AGENTS)
def test_agents_signing_under_a_model_name_or_a_session_link_are_no_person(
    repo, mine, agent, marker
):
    """`GPT-5 Codex <codex@openai.com>`, `Cursor Agent <cursoragent@cursor.com>`, Claude Code
    on the web's session link, a `*Created with Claude Code*` line and Cursor's PR-body marker
    sign an agent's commit, also in a message whose line breaks are written escaped (`\\n`):
    its edit of another agent's code is no person's correction."""
    claude(repo, {"a.py": py("f", "return int(x)")})
    repo.commit(f"tighten f\n\n{marker}", {"a.py": py("f", "return float(x)")})
    rows, report = mine(repo)
    assert rows == []
    assert report["agents"] == dict(Counter(["claude", agent]))


NEWER_AGENTS = {
    "jules": {"GIT_AUTHOR_NAME": "google-labs-jules[bot]",
              "GIT_AUTHOR_EMAIL": "161369871+google-labs-jules[bot]@users.noreply.github.com"},
    "opencode": "Co-authored-by: opencode (DeepSeek V4.1 Flash) <noreply@opencode.ai>",
    "qwen": "Co-authored-by: Qwen-Coder <qwen-coder@alibabacloud.com>",
    "cline": "Co-Authored-By: Cline <noreply@cline.bot>",
    "goose": "Co-Authored-By: goose <goose@block.xyz>",
    "kiro": "Co-authored-by: Kiro Agent <244629292+kiro-agent@users.noreply.github.com>",
    "junie": "Co-authored-by: Junie <junie@jetbrains.com>",
    "warp": "Co-Authored-By: Warp <agent@warp.dev>",
}  # fmt: skip


@pytest.mark.parametrize("agent", sorted(NEWER_AGENTS))
def test_newer_agents_are_told_by_their_own_addresses_and_accounts(repo, mine, agent):
    marker = NEWER_AGENTS[agent]
    person(repo, {"a.py": py("f", "return 0")})
    if isinstance(marker, dict):
        made = repo.commit("add f", {"a.py": py("f", "return int(x)")}, env=marker)
    else:
        made = repo.commit(f"add f\n\n{marker}", {"a.py": py("f", "return int(x)")})
    person(repo, {"a.py": py("f", "return float(x)")})
    rows, report = mine(repo)
    assert report["agents"] == {agent: 1}
    assert [(r["metadata"]["agent"], r["metadata"]["rejected_commit"]) for r in rows] == [
        (agent, made)
    ]


@pytest.mark.parametrize(
    ("message_f", "message_g"),
    [
        (
            "fix f\n\nCo-authored-by: Jules Verne <jules@example.com>",
            "fix g\n\nCo-authored-by: goosewobbler <goosewobbler@example.com>",
        ),
        (
            "fix f\n\nPR created with care.\n\nCo-authored-by: Cursor Fan <fan@example.com>",
            "fix g\n\nSee claude.ai/code for the setup.\n\nCo-authored-by: Ana <ana@openai.com>",
        ),
        (
            "fix f\n\nUsed cursor-based paging, as the docs ask.",
            "fix g\n\nWith the help of Devin from the platform team.",
        ),
    ],
    ids=["agent_names", "near_signatures", "used_words"],
)
def test_people_who_share_an_agents_name_are_people(repo, mine, message_f, message_g):
    claude(repo, {"a.py": py("f", "return int(x)"), "b.py": py("g", "return int(x)")})
    person(repo, {"a.py": py("f", "return float(x)")}, message_f)
    person(repo, {"b.py": py("g", "return float(x)")}, message_g)
    rows, report = mine(repo)
    assert report["agents"] == {"claude": 1}
    assert functions(rows) == [("fix", "f"), ("fix", "g")]


def test_a_person_named_devin_is_a_person(repo, mine):
    """Devin signs with its own account or address; a person of that name is a person."""
    claude(repo, {"a.py": py("f", "return int(x)")})
    devin = {"GIT_AUTHOR_NAME": "Devin Clark", "GIT_AUTHOR_EMAIL": "devin.clark@example.com"}
    person(repo, {"a.py": py("f", "return float(x)")}, "fix f", env=devin)
    rows, report = mine(repo)
    assert report["agents"] == {"claude": 1}
    assert functions(rows) == [("fix", "f")]


def test_a_co_author_named_in_prose_is_the_agent(repo, mine):
    person(repo, {"a.py": py("f", "return 0")})
    agent = repo.commit(
        "Add f\n\nWe add f.\n\nCo-authored by Claude AI", {"a.py": py("f", "return int(x)")}
    )
    repo.commit(
        "fix f\n\nCo-authored by: Jo Smith <jo@example.com>", {"a.py": py("f", "return float(x)")}
    )
    rows, report = mine(repo)
    assert report["agents"] == {"claude": 1}
    assert [(r["metadata"]["agent"], r["metadata"]["rejected_commit"]) for r in rows] == [
        ("claude", agent)
    ]  # the person's co-author, with an address, is a person


def test_a_co_author_without_an_email_address_is_a_tool_not_a_person(repo, mine):
    person(repo, {"a.py": py("f", "return 0")})
    agent = repo.commit("add f\n\nCo-Authored-By: HAL 9000", {"a.py": py("f", "return int(x)")})
    repo.commit(
        "fix f\n\nCo-authored-by: Jo Smith <jo@example.com>",
        {"a.py": py("f", "return float(x)")},
    )
    rows, report = mine(repo)
    assert report["agents"] == {"unnamed": 1}
    assert [(r["metadata"]["agent"], r["metadata"]["rejected_commit"]) for r in rows] == [
        ("unnamed", agent)
    ]  # a co-author with an address is a person: the fix is theirs


def _four(*bodies: str) -> dict[str, str]:
    return {
        "app.py": "\n\n".join(py(name, body) for name, body in zip("fghk", bodies, strict=True))
    }


def test_bots_and_accepted_review_suggestions_are_neither_agent_nor_person(repo, mine):
    person(repo, _four("return 0", "return 0", "return 0", "return 0"))
    agent = ["return int(x)"] * 4
    claude(repo, _four(*agent))
    agent[0] = "return int(x, 10)"
    repo.commit(
        "bump",
        _four(*agent),
        env={
            "GIT_AUTHOR_NAME": "dependabot[bot]",
            "GIT_AUTHOR_EMAIL": "49699333+dependabot[bot]@users.noreply.github.com",
        },
    )
    agent[1] = "return int(x, 16)"
    repo.commit(
        "Apply suggestion\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
        _four(*agent),
    )
    agent[2] = "return int(x, 8)"
    repo.commit(
        "Apply suggestions from review\n\nCo-authored-by: gemini-code-assist[bot] "
        "<176961590+gemini-code-assist[bot]@users.noreply.github.com>\n"
        "Co-authored-by: Copilot Autofix powered by AI "
        "<62310815+github-advanced-security[bot]@users.noreply.github.com>",
        _four(*agent),
    )  # any `[bot]` co-author that is no coding agent: a review bot's suggestion
    agent[3] = "return int(x, 2)"
    repo.commit(
        "chore(release): bump\n\nCo-authored-by: gemini-cli-robot "
        "<224641728+gemini-cli-robot@users.noreply.github.com>",
        _four(*agent),
        env={"GIT_AUTHOR_NAME": "gemini-cli-robot", "GIT_AUTHOR_EMAIL": "robot@example.com"},
    )  # a release robot: not Gemini CLI, whose trailer names `gemini-cli` itself
    rows, report = mine(repo)
    assert rows == []
    assert report["skips"]["bot_commit"] == 4
    assert report["agents"] == {"claude": 1}


# --- 6. the window along ancestry ---------------------------------------------------------------
def test_the_window_counts_along_ancestry_not_parallel_branches(repo, mine):
    person(repo, {"app.py": py("f", "return 0"), "side.txt": "0\n"})
    repo.git("checkout", "-q", "-b", "side")
    for i in range(8):
        person(repo, {"side.txt": f"{i}\n"})
    repo.git("checkout", "-q", "main")
    claude(repo, {"app.py": py("f", "return int(x)")})
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    person(repo, {"app.py": py("f", "return float(x)")})
    rows, _ = mine(repo, window=3)  # agent → merge → fix: 2 along ancestry, 10 in a walk
    assert functions(rows) == [("fix", "f")]
    assert mine(repo, window=1)[0] == []


def test_every_local_branch_is_walked_and_shared_commits_once(repo, mine):
    person(repo, {"app.py": py("f", "return 0") + "\n\n" + py("g", "return 0")})
    claude(repo, {"app.py": py("f", "return int(x)") + "\n\n" + py("g", "return int(x)")})
    repo.git("checkout", "-q", "-b", "topic")
    person(repo, {"app.py": py("f", "return float(x)") + "\n\n" + py("g", "return int(x)")})
    repo.git("checkout", "-q", "main")
    person(repo, {"app.py": py("f", "return int(x)") + "\n\n" + py("g", "return abs(int(x))")})
    rows, report = mine(repo)
    assert functions(rows) == [("fix", "f"), ("fix", "g")]
    assert report["commits"] == 4


# --- 7. reverts of merges ------------------------------------------------------------------------
def test_reverting_a_merge_reverts_the_agent_commits_it_brought_in(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    repo.git("checkout", "-q", "-b", "agent-branch")
    claude(repo, {"app.py": py("f", "return int(x)") + "\n\n" + py("helper", "return x")})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge agent work", "agent-branch")
    repo.git("revert", "-m", "1", "--no-edit", "HEAD")
    rows, _ = mine(repo)
    assert pair_set(rows) == {
        ("revert", "f", strip(py("f", "return int(x)")), strip(py("f", "return 0"))),
        ("revert", "helper", strip(py("helper", "return x")), None),
    }


# --- 8. deletions --------------------------------------------------------------------------------
def test_deleting_an_agents_function_later_is_an_unpaired_rejection(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    claude(repo, {"app.py": py("f", "return 0") + "\n\n" + py("helper", "y = x * 2\nreturn y")})
    person(repo, {"app.py": py("f", "return 0")})
    rows, _ = mine(repo)
    assert pair_set(rows) == {("fix", "helper", strip(py("helper", "y = x * 2\nreturn y")), None)}


def test_deleting_an_agents_whole_file_is_an_unpaired_rejection(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    claude(repo, {"extra.py": py("helper", "y = x * 2\nreturn y")})
    repo.git("rm", "-q", "extra.py")
    person(repo, {})
    assert functions(mine(repo)[0]) == [("fix", "helper")]


def test_a_function_moved_to_another_file_is_no_rejection(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    helper = py("helper", "y = x * 2\nreturn y")
    claude(repo, {"app.py": py("f", "return 0") + "\n\n" + helper})
    person(repo, {"app.py": py("f", "return 0"), "util.py": helper})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["moved"] == 1


def test_a_function_moved_to_another_file_and_edited_there_is_no_rejection(repo, mine):
    """Moved to a new test file with its seed changed on the way: the same function under
    the same name, not a deletion (nor a pair across files)."""
    person(repo, {"app.py": py("f", "return 0")})
    claude(repo, {"app.py": py("f", "return 0") + "\n\n" + py("helper", "y = x * 2\nreturn y")})
    person(repo, {"app.py": py("f", "return 0"), "util.py": py("helper", "y = x * 3\nreturn y")})
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["moved"] == 1


# --- 9. robust parsing ---------------------------------------------------------------------------
def test_a_parse_error_elsewhere_keeps_the_clean_functions(repo, mine):
    broken = "\n\nconst broken = (;\n"
    person(repo, {"app.tsx": "export function f(x: number) {\n  return x;\n}\n" + broken})
    claude(repo, {"app.tsx": "export function f(x: number) {\n  return x + 1;\n}\n" + broken})
    person(repo, {"app.tsx": "export function f(x: number) {\n  return x + 2;\n}\n" + broken})
    assert functions(mine(repo)[0]) == [("fix", "f")]


GENERATOR = """package main

import "os"

func main() {
\tout := "// Code generated by gen.go; DO NOT EDIT.\\n\\npackage hashes\\n"
\tos.WriteFile("hashes_gen.go", []byte(out), {mode})
}
"""


@pytest.mark.parametrize(
    ("header", "expected"),
    [("", [("fix", "main")]), ("// Code generated by gen.go; DO NOT EDIT.\n\n", [])],
)
def test_a_generator_that_writes_the_generated_marker_is_source(repo, mine, header, expected):
    """The marker in a comment line marks generated code; in a string, the program that
    writes it, which people correct like any other."""
    person(repo, {"README.md": "x\n"})
    claude(repo, {"gen.go": header + GENERATOR.replace("{mode}", "0o600")})
    person(repo, {"gen.go": header + GENERATOR.replace("{mode}", "0o644")})
    rows, report = mine(repo)
    assert functions(rows) == expected
    assert report["skips"].get("generated", 0) == (1 if header else 0)


# --- 10. one edit, one pair ----------------------------------------------------------------------
def test_an_edit_inside_a_nested_function_pairs_only_the_innermost(repo, mine):
    outer = "def outer(x):\n    def inner(y):\n        return y + {n}\n    return inner(x)\n"
    person(repo, {"app.py": outer.format(n=0)})
    claude(repo, {"app.py": outer.format(n=1)})
    person(repo, {"app.py": outer.format(n=2)})
    assert functions(mine(repo)[0]) == [("fix", "outer.inner")]


def test_test_callbacks_are_named_by_their_title(repo, mine):
    spec = "test('adds {n}', () => {{\n  expect(add(1, {n})).toBe({m});\n}});\n"
    person(repo, {"add.test.ts": "import { add } from './add';\n"})
    claude(repo, {"add.test.ts": "import { add } from './add';\n" + spec.format(n=1, m=3)})
    person(repo, {"add.test.ts": "import { add } from './add';\n" + spec.format(n=1, m=2)})
    assert functions(mine(repo)[0]) == [("fix", "adds 1")]


# --- 11. prompts of squash merges ------------------------------------------------------------------
def test_a_squash_merge_prompt_keeps_title_and_description_not_the_log(repo, mine):
    person(repo, {"app.py": py("f", "return 0")})
    message = (
        "Parse ports strictly (#42)\n\nReject ports outside 1-65535.\n\n"
        "* wip\n\n* fix lint\n\n---------\n\nCo-authored-by: Claude <noreply@anthropic.com>"
    )
    repo.commit(message, {"app.py": py("f", "return int(x)")})
    person(repo, {"app.py": py("f", "return int(x, 10)")})
    rows, _ = mine(repo)
    assert rows[0]["prompt"].startswith(
        "Parse ports strictly (#42)\n\nReject ports outside 1-65535.\n\nLanguage: python"
    )


def test_code_added_at_the_edge_of_an_edit_to_a_persons_line_is_not_the_agents(repo, mine):
    person(repo, {"app.py": py("f", "a = load(x)\nreturn a")})
    claude(repo, {"app.py": py("f", "a = load(x)\nreturn a\n# agent")})
    claude(repo, {"app.py": py("f", "a = load(x)\nfor item in a:\n    emit(item)\nreturn a")})
    person(
        repo,
        {
            "app.py": py(
                "f",
                "a = load(x, strict=True)\nif not a:\n    a = []\nfor item in a:\n    emit(item)\nreturn a",
            )
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["not_agent_lines"] == 1


def test_a_person_changing_the_functions_own_parameters_is_no_ripple(repo, mine):
    person(repo, {"graph.go": "package g\n\nvar X = 1\n"})
    claude(
        repo,
        {
            "graph.go": "package g\n\nfunc render(g *Graph, sub *Graph) int {\n\treturn g.Size()\n}\n"
        },
    )
    person(
        repo,
        {"graph.go": "package g\n\nfunc render(g *Graph, _ *Graph) int {\n\treturn g.Size()\n}\n"},
    )
    assert functions(mine(repo)[0]) == [("fix", "render")]


def test_a_private_name_made_public_in_three_places_is_no_sweep(repo, mine):
    person(repo, {"m.py": "X = 1\n"})
    body = "class M:\n    def add(self, n):\n        self._total = self._total + n\n\n    def merge(self, o):\n        self._total = self._total + o._total\n"
    claude(repo, {"m.py": body})
    person(
        repo, {"m.py": body.replace("self._total +", "self.total +").replace("o._total", "o.total")}
    )
    assert functions(mine(repo)[0]) == [("fix", "M.add"), ("fix", "M.merge")]


def test_a_change_made_only_of_the_commits_repeated_substitutions_is_a_sweep(repo, mine):
    names = [f"f{i}" for i in range(5)]
    old = "\n\n".join(py(n, "return old_api(x)") for n in names)
    person(repo, {"old.py": old + "\n\n" + py("h", "return plain(x)")})
    claude(repo, {"new.py": py("g", "y = old_api(x)\nreturn plain(y)")})
    swept = "\n\n".join(py(n, "return new_api(x)") for n in names)
    person(
        repo,
        {
            "old.py": swept + "\n\n" + py("h", "return fancy(x)"),
            "new.py": py("g", "y = new_api(x)\nreturn fancy(y)"),
        },
    )
    rows, report = mine(repo)
    assert rows == [] and report["skips"]["sweep"] == 1
