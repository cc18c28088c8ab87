# ruff: noqa: E501
"""The pair-quality suite: scenarios played with real git and real hooks, each with the exact
pairs it must give. (event, function, rejected, chosen); chosen None: an unpaired rejection."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from selfware_git.miner.filters import MAX_FILE_BYTES
from tests.gitrepo import GitRepo
from tests.scenario import agent, pair_set, person, py, strip

F0 = py("f", "return x")
F_AGENT = py("f", "return int(x)")
F_PERSON = py("f", "try:\n    return int(x)\nexcept ValueError:\n    return None")
G0 = py("g", "return 1")
G_AGENT = py("g", "return 1 + 1")
G_PERSON = py("g", "return 2")

Expected = set[tuple[str, str, str, str | None]]
SCENARIOS: dict[str, Callable[[GitRepo], Expected]] = {}


def scenario(fn: Callable[[GitRepo], Expected]) -> Callable[[GitRepo], Expected]:
    SCENARIOS[fn.__name__] = fn
    return fn


def base(repo: GitRepo, text: str = F0 + "\n\n" + G0) -> None:
    person(repo, {"app.py": text}, "base")


# --- amend ------------------------------------------------------------------------------------
@scenario
def amend_true_correction(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.commit("fixed", {"app.py": F_PERSON + "\n\n" + G0}, amend=True)
    return {("amend", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def amend_whitespace_only(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    spaced = F_AGENT.replace("return int(x)", "return  int( x )")
    repo.commit("spacing", {"app.py": spaced + "\n\n\n" + G0}, amend=True)
    return set()


@scenario
def amend_edits_a_function_the_agent_did_not_touch(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.commit("g too", {"app.py": F_AGENT + "\n\n" + G_PERSON}, amend=True)
    return set()


@scenario
def amend_fixes_one_of_two_agent_functions(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G_AGENT})
    repo.commit("fix f", {"app.py": F_PERSON + "\n\n" + G_AGENT}, amend=True)
    return {("amend", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def agent_amends_its_own_commit(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.commit("again", {"app.py": F_PERSON + "\n\n" + G0}, amend=True, agent="claude")
    return set()


@scenario
def amend_only_renames_the_function(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + py("calc", "return x * 2")})
    renamed = py("double", "return x * 2")
    repo.commit("rename", {"app.py": F0 + "\n\n" + renamed}, amend=True)
    return set()  # a pure rename: its prompt would name the old function


@scenario
def amend_renames_function_and_parameters(repo: GitRepo) -> Expected:
    base(repo, F0)
    before = py("calc", "return a * b + a", "a, b")
    after = py("scaled_sum", "return base * factor + base", "base, factor")
    agent(repo, {"app.py": F0 + "\n\n" + before})
    repo.commit("rename", {"app.py": F0 + "\n\n" + after}, amend=True)
    return {("amend", "calc", strip(before), strip(after))}


@scenario
def amend_only_moves_functions_within_the_file(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + G_AGENT})
    repo.commit("reorder", {"app.py": G_AGENT + "\n\n" + F0}, amend=True)
    return set()


@scenario
def amend_moves_the_function_to_another_file(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + G_AGENT})
    repo.write("app.py", F0)
    repo.commit("move g", {"helpers.py": G_AGENT}, amend=True)
    return set()


@scenario
def amend_deletes_a_function_the_agent_added(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + G_AGENT})
    repo.commit("no g", {"app.py": F0}, amend=True)
    return {("amend", "g", strip(G_AGENT), None)}


# --- revert -----------------------------------------------------------------------------------
@scenario
def revert_of_a_modified_function(repo: GitRepo) -> Expected:
    base(repo)
    sha = agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("revert", "--no-edit", sha)
    return {("revert", "f", strip(F_AGENT), strip(F0))}


@scenario
def revert_of_an_added_function(repo: GitRepo) -> Expected:
    base(repo, F0)
    sha = agent(repo, {"app.py": F0 + "\n\n" + G_AGENT})
    repo.git("revert", "--no-edit", sha)
    return {("revert", "g", strip(G_AGENT), None)}


@scenario
def revert_by_the_agent_itself(repo: GitRepo) -> Expected:
    base(repo)
    sha = agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("revert", "--no-edit", sha, env={"SELFWARE_AGENT": "claude"})
    return set()


@scenario
def revert_of_a_person_commit(repo: GitRepo) -> Expected:
    base(repo)
    sha = person(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("revert", "--no-edit", sha)
    return set()


# --- reset ------------------------------------------------------------------------------------
@scenario
def reset_hard_without_redo(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("reset", "-q", "--hard", "HEAD~1")
    return {("reset", "f", strip(F_AGENT), strip(F0))}


@scenario
def reset_soft_then_redo_by_the_person(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("reset", "-q", "--soft", "HEAD~1")
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, "redo")
    return {("reset", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def reset_then_redo_by_the_agent_with_other_instructions(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0}, task="parse ints")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    agent(repo, {"app.py": F_PERSON + "\n\n" + G0}, task="parse ints, None when invalid")
    return {("reset", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def reset_of_an_added_function(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + G_AGENT})
    repo.git("reset", "-q", "--hard", "HEAD~1")
    return {("reset", "g", strip(G_AGENT), None)}


@scenario
def reset_by_the_agent_itself(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("reset", "-q", "--hard", "HEAD~1", env={"SELFWARE_AGENT": "claude"})
    return set()


# --- rebase -----------------------------------------------------------------------------------
def rebase(repo: GitRepo, sed: str, upstream: str) -> None:
    repo.git("rebase", "-i", upstream, env={"GIT_SEQUENCE_EDITOR": f"sed -i -e '{sed}'"})


@scenario
def rebase_fixup_into_the_agent_commit(repo: GitRepo) -> Expected:
    base(repo)
    start = repo.head()
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, "fixup")
    rebase(repo, "2s/^pick/fixup/", start)
    return {("rebase", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def rebase_squash_into_the_agent_commit(repo: GitRepo) -> Expected:
    base(repo)
    start = repo.head()
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, "squash me")
    rebase(repo, "2s/^pick/squash/", start)
    return {("rebase", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def rebase_drops_the_agent_commit(repo: GitRepo) -> Expected:
    base(repo)
    start = repo.head()
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"notes.txt": "notes\n"}, "notes")
    rebase(repo, "1s/^pick/drop/", start)
    return {("rebase", "f", strip(F_AGENT), strip(F0))}


@scenario
def rebase_reword_only(repo: GitRepo) -> Expected:
    base(repo)
    start = repo.head()
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    rebase(repo, "1s/^pick/reword/", start)
    return set()


# --- later fixes ------------------------------------------------------------------------------
@scenario
def later_fix_within_the_window(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"notes.txt": "1\n"})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, "handle bad input")
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def later_fix_outside_the_window(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    for i in range(12):
        person(repo, {"notes.txt": f"{i}\n"})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, "handle bad input")
    return set()


@scenario
def later_fix_outside_the_window_linked_by_fixes_trailer(repo: GitRepo) -> Expected:
    base(repo)
    sha = agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    for i in range(12):
        person(repo, {"notes.txt": f"{i}\n"})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0}, f"handle bad input\n\nFixes: {sha[:12]}")
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def later_fix_that_extends_the_agent_text(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + py("g", "return 1")})
    person(repo, {"app.py": F0 + "\n\n" + py("g", "return 100")})
    return {("fix", "g", strip(py("g", "return 1")), strip(py("g", "return 100")))}


@scenario
def two_agent_commits_then_one_fix(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    second = py("f", "return int(x.strip())")
    agent(repo, {"app.py": second + "\n\n" + G0})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0})
    return {("fix", "f", strip(second), strip(F_PERSON))}


@scenario
def two_fixes_in_a_row_only_the_first_pairs(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0})
    final = py("f", "try:\n    return int(x)\nexcept (TypeError, ValueError):\n    return None")
    person(repo, {"app.py": final + "\n\n" + G0})
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def later_edit_of_another_function_in_the_same_file(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": F_AGENT + "\n\n" + G_PERSON})
    return set()


@scenario
def later_whitespace_only_edit(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": F_AGENT.replace("int(x)", "int( x )") + "\n\n" + G0})
    return set()


@scenario
def later_pure_rename_is_no_pair(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + py("calc", "return x * 2")})
    person(repo, {"app.py": F0 + "\n\n" + py("double", "return x * 2")}, "better name")
    return set()


@scenario
def later_rename_with_parameters_is_naming(repo: GitRepo) -> Expected:
    base(repo, F0)
    agent(repo, {"app.py": F0 + "\n\n" + py("calc", "return x * 2")})
    after = py("double", "return value * 2", params="value")
    person(repo, {"app.py": F0 + "\n\n" + after}, "better names")
    return {("fix", "calc", strip(py("calc", "return x * 2")), strip(after))}


@scenario
def later_fix_by_another_agent_is_not_a_correction(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    agent(repo, {"app.py": F_PERSON + "\n\n" + G0}, name="aider")
    return set()


@scenario
def later_fix_in_a_merge_commit_is_skipped(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    repo.git("checkout", "-q", "-b", "side", "HEAD~1")
    person(repo, {"other.txt": "side\n"})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    repo.write("app.py", F_PERSON + "\n\n" + G0)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "merge with a fix")
    return set()


@scenario
def nested_and_method_functions(repo: GitRepo) -> Expected:
    before = "class Box:\n    def size(self):\n        return 1\n"
    base(repo, before)
    agent_text = "class Box:\n    def size(self):\n        return len(self.items)\n"
    person_text = "class Box:\n    def size(self):\n        return len(self.items or [])\n"
    agent(repo, {"app.py": agent_text})
    person(repo, {"app.py": person_text})
    rejected = "def size(self):\n        return len(self.items)"
    chosen = "def size(self):\n        return len(self.items or [])"
    return {("fix", "Box.size", rejected, chosen)}


# --- syntax errors and files skipped by rule --------------------------------------------------
@scenario
def syntax_error_on_the_agent_side(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": py("f", "return int(x") + "\n\n" + G0})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0})
    return set()


@scenario
def syntax_error_on_the_person_side(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    person(repo, {"app.py": py("f", "try:\n    return int(x)\nexcept") + "\n\n" + G0})
    return set()


@scenario
def syntax_error_elsewhere_in_the_file(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0})
    broken_g = "def g(:\n    return 2\n"
    person(repo, {"app.py": F_PERSON + "\n\n" + broken_g})
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def binary_file_beside_source(repo: GitRepo) -> Expected:
    base(repo)
    agent(repo, {"app.py": F_AGENT + "\n\n" + G0, "logo.png": b"\x89PNG\x00\x01\x02"})
    person(repo, {"app.py": F_PERSON + "\n\n" + G0, "logo.png": b"\x89PNG\x00\x03"})
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def non_utf8_source(repo: GitRepo) -> Expected:
    base(repo, "# -*- coding: latin-1 -*-\n" + F0)
    agent(repo, {"app.py": ("# caf\xe9\n" + F_AGENT).encode("latin-1")})
    person(repo, {"app.py": ("# caf\xe9\n" + F_PERSON).encode("latin-1")})
    return set()


@scenario
def large_source_file_is_mined(repo: GitRepo) -> Expected:
    filler = "".join(f"VALUE_{i} = {i}\n" for i in range(60000))  # about 1 MiB
    base(repo, F0 + filler)
    agent(repo, {"app.py": F_AGENT + filler})
    person(repo, {"app.py": F_PERSON + filler})
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def huge_source_file(repo: GitRepo) -> Expected:
    filler = "".join(f"VALUE_{i} = {i}\n" for i in range(MAX_FILE_BYTES // 16))
    base(repo, F0 + filler)
    agent(repo, {"app.py": F_AGENT + filler})
    person(repo, {"app.py": F_PERSON + filler})
    return set()


@scenario
def vendored_and_generated_files(repo: GitRepo) -> Expected:
    base(repo)
    generated = "# @generated by protoc\n"
    agent(repo, {"vendor/lib.py": F_AGENT, "api_pb2.py": F_AGENT, "gen.py": generated + F_AGENT})
    person(
        repo, {"vendor/lib.py": F_PERSON, "api_pb2.py": F_PERSON, "gen.py": generated + F_PERSON}
    )
    return set()


# --- batch mode: no hooks, markers only ----------------------------------------------------------
@scenario
def batch_marker_agent_then_fix(repo: GitRepo) -> Expected:
    base(repo)
    repo.commit(
        "parse\n\nCo-Authored-By: Claude <noreply@anthropic.com>", {"app.py": F_AGENT + "\n\n" + G0}
    )
    person(repo, {"app.py": F_PERSON + "\n\n" + G0})
    return {("fix", "f", strip(F_AGENT), strip(F_PERSON))}


@scenario
def batch_aider_author_then_revert(repo: GitRepo) -> Expected:
    base(repo)
    sha = repo.commit(
        "parse", {"app.py": F_AGENT + "\n\n" + G0}, env={"GIT_AUTHOR_NAME": "Pat Person (aider)"}
    )
    repo.git("revert", "--no-edit", sha)
    return {("revert", "f", strip(F_AGENT), strip(F0))}


@scenario
def batch_aider_committer_only_is_the_person(repo: GitRepo) -> Expected:
    base(repo)
    repo.commit(
        "parse", {"app.py": F_AGENT + "\n\n" + G0}, env={"GIT_COMMITTER_NAME": "Pat Person (aider)"}
    )
    person(repo, {"app.py": F_PERSON + "\n\n" + G0})
    return set()


# --- every language ----------------------------------------------------------------------------
LANGUAGE_CASES = {
    "javascript": (
        "cart.js",
        "Cart.total",
        "class Cart {\n  total() {\n    return this.items.length;\n  }\n}\n",
        "class Cart {\n  total() {\n    return this.items.reduce((s, i) => s + i.price, 0);\n  }\n}\n",
    ),
    "typescript": (
        "fmt.ts",
        "format",
        "export const format = (n: number): string => n.toString();\n",
        "export const format = (n: number): string => n.toFixed(2);\n",
    ),
    "tsx": (
        "App.tsx",
        "App",
        "export function App() {\n  return <div>hi</div>;\n}\n",
        "export function App() {\n  return <main>hi</main>;\n}\n",
    ),
    "go": (
        "server.go",
        "Server.Start",
        "package main\n\nfunc (s *Server) Start() error {\n\treturn nil\n}\n",
        "package main\n\nfunc (s *Server) Start() error {\n\treturn s.listen()\n}\n",
    ),
    "rust": (
        "stack.rs",
        "Stack<T>::push",
        "impl<T> Stack<T> {\n    fn push(&mut self, x: T) {\n        self.v.push(x)\n    }\n}\n",
        "impl<T> Stack<T> {\n    fn push(&mut self, x: T) {\n        self.v.push(x);\n        self.n += 1;\n    }\n}\n",
    ),
    "rust-trait": (
        "show.rs",
        "<Stack as Display>::fmt",
        'impl Display for Stack {\n    fn fmt(&self, f: &mut Formatter) -> Result {\n        write!(f, "stack")\n    }\n}\n',
        'impl Display for Stack {\n    fn fmt(&self, f: &mut Formatter) -> Result {\n        write!(f, "Stack({})", self.n)\n    }\n}\n',
    ),
    "java": (
        "Main.java",
        "Main.run",
        "class Main {\n  void run() {\n    System.out.println(1);\n  }\n}\n",
        'class Main {\n  void run() {\n    log.info("1");\n  }\n}\n',
    ),
    "c": (
        "add.c",
        "add",
        "int add(int a, int b) {\n  return a - b;\n}\n",
        "int add(int a, int b) {\n  return a + b;\n}\n",
    ),
    "cpp": (
        "widget.cpp",
        "ns::Widget::draw",
        "namespace ns {\nclass Widget {\n  void draw() { paint(1); }\n};\n}\n",
        "namespace ns {\nclass Widget {\n  void draw() { paint(2); }\n};\n}\n",
    ),
    "ruby": (
        "greeter.rb",
        "Greeter#hello",
        "class Greeter\n  def hello\n    'hi'\n  end\nend\n",
        'class Greeter\n  def hello\n    "hi #{@name}"\n  end\nend\n',
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name: str, repo: GitRepo, mine) -> None:
    if not name.startswith("batch_"):
        repo.cli("install-hooks")
    expected = SCENARIOS[name](repo)
    rows, _report = mine(repo)
    assert pair_set(rows) == expected


@pytest.mark.parametrize("language", sorted(LANGUAGE_CASES))
def test_language_end_to_end(language: str, repo: GitRepo, mine) -> None:
    path, function, agent_text, person_text = LANGUAGE_CASES[language]
    repo.cli("install-hooks")
    base(repo)
    agent(repo, {path: agent_text})
    person(repo, {path: person_text})
    rows, _report = mine(repo)
    assert [(r["metadata"]["event"], r["metadata"]["function"]) for r in rows] == [
        ("fix", function)
    ]
    row = rows[0]
    assert row["rejected"] in agent_text and row["chosen"] in person_text
    assert row["rejected"] != row["chosen"]
    assert row["metadata"]["language"] == language.split("-")[0]


def test_suite_is_big_enough() -> None:
    assert len(SCENARIOS) + len(LANGUAGE_CASES) >= 40


def test_skips_are_counted_by_reason(repo: GitRepo, mine) -> None:
    repo.cli("install-hooks")
    non_utf8_source(repo)
    vendored_and_generated_files(repo)
    _rows, report = mine(repo)
    assert report["skips"]["non_utf8"] >= 1
    assert report["skips"]["vendored"] >= 1
    assert report["skips"]["generated"] >= 2
