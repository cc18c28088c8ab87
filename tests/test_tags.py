# ruff: noqa: E501
"""Each tag rule on small, real-looking changes in several languages: what the change does
decides first; messages only with whole words, the person's before the agent's task."""

from __future__ import annotations

import pytest

from selfware_git.miner.tasks import TASK_TAGS, Change, tags_of


def tags(rejected: str, chosen: str | None, language: str = "python", **kw) -> list[str]:
    fields = {
        "event": "fix",
        "path": "src/app.py",
        "function": "f",
        "task_text": "",
        "person_message": "",
    }
    fields.update(kw)
    return tags_of(Change(rejected=rejected, chosen=chosen, language=language, **fields))


def test_every_tag_has_a_one_line_rule() -> None:
    assert all(rule and "\n" not in rule for rule in TASK_TAGS.values())


@pytest.mark.parametrize(
    ("language", "rejected", "chosen"),
    [
        (
            "python",
            "def f(x):\n    return int(x)",
            "def f(x):\n    try:\n        return int(x)\n    except ValueError:\n        return None",
        ),
        (
            "go",
            "func f(p string) int {\n\tv, _ := strconv.Atoi(p)\n\treturn v\n}",
            "func f(p string) (int, error) {\n\tv, err := strconv.Atoi(p)\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\treturn v, nil\n}",
        ),
        (
            "rust",
            "fn f(p: &str) -> u16 {\n    p.parse().unwrap()\n}",
            "fn f(p: &str) -> Result<u16, ParseIntError> {\n    Ok(p.parse()?)\n}",
        ),
        (
            "typescript",
            "function f(s: string) {\n  return JSON.parse(s);\n}",
            "function f(s: string) {\n  if (!s) throw new Error('empty');\n  return JSON.parse(s);\n}",
        ),
        (
            "python",
            "def f(x):\n    return x.name",
            "def f(x):\n    if x is None:\n        return ''\n    return x.name",
        ),
    ],
)
def test_handling_added_is_error_handling(language: str, rejected: str, chosen: str) -> None:
    assert tags(rejected, chosen, language)[0] == "error_handling"


@pytest.mark.parametrize(
    ("language", "rejected", "chosen"),
    [
        (  # Go: an error discarded on purpose
            "go",
            "func f(c io.Closer) {\n\tc.Close()\n}",
            "func f(c io.Closer) {\n\t_ = c.Close()\n}",
        ),
        (  # error reporting added where a failure was silent
            "javascript",
            "async function f() {\n  await save();\n  setState('done');\n}",
            "async function f() {\n  try { await save(); } catch (e) { console.error('save failed', e); }\n  setState('done');\n}",
        ),
        (  # an exception type swapped: handling, not typing
            "python",
            "def f(x):\n    try:\n        return g(x)\n    except LLMError:\n        return None",
            "def f(x):\n    try:\n        return g(x)\n    except AuthenticationError:\n        return None",
        ),
        (  # a nil guard returning a fallback
            "go",
            "func f(c *Ctx) context.Context {\n\treturn c.ctx\n}",
            "func f(c *Ctx) context.Context {\n\tif c.ctx == nil {\n\t\treturn context.Background()\n\t}\n\treturn c.ctx\n}",
        ),
    ],
)
def test_errors_discarded_reported_or_guarded_are_error_handling(
    language: str, rejected: str, chosen: str
) -> None:
    assert tags(rejected, chosen, language)[0] == "error_handling"


def test_a_change_inside_an_error_handler_is_error_handling() -> None:
    before = "def handle_http_error(e):\n    log.info(f'HTTP error: {e}')"
    after = "def handle_http_error(e):\n    log.info(f'HTTP error: {type(e).__name__}: {e}')"
    assert "error_handling" in tags(before, after, function="Service.handle_http_error")
    assert "error_handling" not in tags(before, after, function="Service.render")


def test_types_changed_only_is_typing() -> None:
    assert tags("def f(x):\n    return x", "def f(x: int) -> int:\n    return x")[0] == "typing"
    ts = ("function f(p: any) {\n  return p.x;\n}", "function f(p: Point) {\n  return p.x;\n}")
    assert tags(*ts, "typescript")[0] == "typing"


def test_a_qualified_type_is_typing_a_field_set_is_not() -> None:
    go = (
        "func resolve(ctx context.Context, strategy string) error {\n\tx := run(strategy)\n\treturn x\n}",
        "func resolve(ctx context.Context, strategy config.Strategy) error {\n\tx := run(strategy)\n\treturn x\n}",
    )
    assert tags(*go, "go")[0] == "typing"
    fields = (
        "func emit(i *Issue) {\n\tsend(Event{\n\t\tID: i.ID,\n\t\tTitle: i.Title,\n\t})\n}",
        "func emit(i *Issue) {\n\tsend(Event{\n\t\tID: i.ID,\n\t})\n}",
    )
    assert tags(*fields, "go")[0] != "typing"


def test_values_and_constants_are_no_types() -> None:
    """`apiKey || null` is a value sent, `I18nKey.TOKEN_LABEL` a constant: neither is typing,
    though `null` and capitals can be types."""
    value = (
        "function f(apiKey: string) {\n  return { key: apiKey };\n}",
        "function f(apiKey: string) {\n  return { key: apiKey || null };\n}",
    )
    assert tags(*value, "typescript")[0] != "typing"
    constant = (
        "function F(p: P) {\n  return t(I18nKey.TOKEN_OPTIONAL);\n}",
        "function F(p: P) {\n  return t(I18nKey.TOKEN_LABEL);\n}",
    )
    assert tags(*constant, "tsx")[0] != "typing"


def test_identifiers_renamed_only_is_naming() -> None:
    before = "def f(a, b):\n    return a * b + a"
    after = "def f(base, factor):\n    return base * factor + base"
    assert tags(before, after)[0] == "naming"


# Eleven new lines of staging logic, one `if err != nil` among them.
_STAGING = (
    'func stage(dir string) error {\n\treturn git("add", dir)\n}',
    "func stage(dir string) error {\n\tvar files []string\n"
    + "".join(f"\tfiles = append(files, filepath.Join(dir, names[{i}]))\n" for i in range(8))
    + '\tif err := check(files); err != nil {\n\t\treturn err\n\t}\n\treturn git("add", files...)\n}',
)


def test_handling_inside_a_large_change_comes_second() -> None:
    """The change is about what gets staged, error handling is a part of it."""
    found = tags(*_STAGING, "go", person_message="Fix staging of ignored files")
    assert found[0] == "bugfix" and "error_handling" in found


def test_a_parameter_marked_unused_is_naming() -> None:
    go = (
        "func render(layout *Layout, sub *Graph) {\n\tfor _, n := range layout.Nodes {\n\t\tdraw(n)\n\t}\n}",
        "func render(layout *Layout, _ *Graph) {\n\tfor _, n := range layout.Nodes {\n\t\tdraw(n)\n\t}\n}",
    )
    assert tags(*go, "go", function="render")[0] == "naming"
    rust = ("fn f(a: u8, b: u8) -> u8 {\n    a\n}", "fn f(a: u8, _b: u8) -> u8 {\n    a\n}")
    assert tags(*rust, "rust")[0] == "naming"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # a switch to a name already there: the public property was read instead
            "def add(self, n):\n    self.total = self._total + n\n    return self._total",
            "def add(self, n):\n    self.total = self.total + n\n    return self.total",
        ),
        (  # one use switched while the old name stays elsewhere: a different value read
            "def add(self, n):\n    self._acc = self._acc + n\n    return n",
            "def add(self, n):\n    self._acc = self.acc + n\n    return n",
        ),
    ],
)
def test_a_switch_to_another_name_for_the_same_thing_is_no_rename(before: str, after: str) -> None:
    """`self._x` → `self.x`: the person changed what is read, a behaviour change."""
    assert tags(before, after)[0] != "naming"


def test_docstrings_or_help_text_only_is_docs() -> None:
    before = 'def f(x):\n    """Do it."""\n    return x'
    after = 'def f(x):\n    """Return x unchanged; x may be any object."""\n    return x'
    assert tags(before, after)[0] == "docs"
    go = ("// F does it.\nfunc F() {}", "// F returns nothing; it only logs.\nfunc F() {}")
    assert tags(*go, "go")[0] == "docs"


def test_prose_strings_edited_in_place_are_docs() -> None:
    """A prompt or help text reworded (two joined strings made one): docs. A CSS class list,
    an interpolated template or a string dropped outright is code."""
    before = 'func help() string {\n\treturn "Reply to each comment, " +\n\t\t"or edit the file directly and resolve it. "\n}'
    after = 'func help() string {\n\treturn "Reply to each comment and say what you did. "\n}'
    assert tags(before, after, "go")[0] == "docs"
    css = (
        'function P() {\n  return <div className="rounded-xl border border-neutral-600" />;\n}',
        'function P() {\n  return <div className="rounded-xl border border-neutral-600 bg-neutral-800" />;\n}',
    )
    assert tags(*css, "tsx")[0] != "docs"
    template = (
        "def f(e):\n    log.warning(f'HTTP error on {e.url} now: {e}')",
        "def f(e):\n    log.warning(f'HTTP error on {e.url} now: {type(e)}: {e}')",
    )
    assert tags(*template)[0] != "docs"
    dropped = (
        "def f(c):\n    return 'Thread comments follow here:' + ', '.join(c)",
        "def f(c):\n    return ', '.join(c)",
    )
    assert tags(*dropped)[0] != "docs"


def test_test_functions_by_their_framework_not_only_the_path() -> None:
    go = (
        "func TestParse(t *testing.T) {\n\tcheck(1)\n}",
        "func TestParse(t *testing.T) {\n\tcheck(2)\n}",
    )
    assert tags(*go, "go", path="parse_check.go", function="TestParse")[0] == "tests"
    rust = ("#[test]\nfn parses() {\n    check(1);\n}", "#[test]\nfn parses() {\n    check(2);\n}")
    assert tags(*rust, "rust", path="src/lib.rs", function="tests::parses")[0] == "tests"


def test_caching_added_is_performance() -> None:
    before = "def f(x):\n    return compute(x)"
    after = "@lru_cache(maxsize=None)\ndef f(x):\n    return compute(x)"
    assert "performance" in tags(before, after)


def test_deleted_is_removal_and_a_revert_is_revert() -> None:
    assert tags("def f(x):\n    return x", None) == ["removal"]
    assert tags("def f(x):\n    return x", "def f(x):\n    return 0", event="revert") == ["revert"]


def test_code_commented_out_or_deleted_beside_a_note_is_removal() -> None:
    """The agent's branch commented out, or deleted with a comment left in its place: the
    person's version adds no line of code."""
    before = (
        "def start(self):\n    cmd = self.shell\n    if self.limit is not None:\n"
        "        cmd = f'prlimit {self.limit} {cmd}'\n    return run(cmd)"
    )
    commented = (
        "def start(self):\n    cmd = self.shell\n    # FIXME: limits come back later\n"
        "    # if self.limit is not None:\n    #     cmd = f'prlimit {self.limit} {cmd}'\n    return run(cmd)"
    )
    assert tags(before, commented)[0] == "removal"
    noted = "def start(self):\n    cmd = self.shell\n    # no limits for now\n    return run(cmd)"
    assert tags(before, noted)[0] == "removal"


def test_part_of_a_line_deleted_is_no_removal() -> None:
    """A condition loosened (`and user_id` dropped) deletes code but keeps the line: the
    behaviour changed, nothing was removed."""
    before = "def f(self):\n    if not self.token and self.user_id and self.fetch_ok():\n        self.refresh()"
    after = "def f(self):\n    if not self.token:\n        self.refresh()"
    assert tags(before, after)[0] != "removal"
    gone = (
        "def f(self):\n    self.refresh()\n    self.log_refresh(self.token)\n    return self.token"
    )
    assert tags(gone, "def f(self):\n    self.refresh()\n    return self.token")[0] == "removal"


def test_a_title_that_says_revert_is_revert() -> None:
    before = "def f(self):\n    with open_client() as c:\n        return c.get()"
    after = "def f(self):\n    return get_client().get()"
    message = 'Revert "Fix file descriptor leak (#6897)" (#6921)'
    assert tags(before, after, person_message=message)[0] == "revert"
    assert tags(before, after, person_message="Fix the client")[0] != "revert"


def test_rearranged_is_refactor_mostly_new_is_feature_else_bugfix() -> None:
    swapped = (
        "def f():\n    a = load()\n    b = other()\n    return a, b",
        "def f():\n    b = other()\n    a = load()\n    return a, b",
    )
    assert tags(*swapped)[0] == "refactor"
    grown = (
        "def f(x):\n    return x",
        "def f(x, scale=1):\n    y = x * scale\n    z = y + offset()\n    log(z)\n    return z",
    )
    assert tags(*grown)[0] == "feature"
    assert tags("def f(x):\n    return x + 1", "def f(x):\n    return x - 1")[0] == "bugfix"


def test_message_words_count_whole_and_the_persons_message_first() -> None:
    change = (
        "def f(x):\n    a = x + 1\n    b = a * 2\n    return b - 3",
        "def f(x):\n    a = x - 1\n    b = a * 3\n    return b + 3",
    )
    assert tags(*change, person_message="Speed up fastapi handler")[0] == "performance"
    assert tags(*change, person_message="fastapi: handleRowClick")[0] == "bugfix"
    assert tags(*change, person_message="handler tweaks", task_text="speed up")[0] == "performance"
    assert tags(*change, person_message="fix the sign", task_text="speed up")[0] == "bugfix"


def test_tests_is_told_by_the_function_never_by_a_message() -> None:
    """The agent's "add tests" (or a person's `test(ui): …`) says what else the commit did;
    a change to a function that is no test is no `tests` pair."""
    change = (
        "def f(x):\n    a = x + 1\n    b = a * 2\n    return b - 3",
        "def f(x):\n    a = x - 1\n    b = a * 3\n    return b + 3",
    )
    assert "tests" not in tags(*change, person_message="handler tweaks", task_text="add tests")
    assert "tests" not in tags(*change, person_message="test(ui): settings logic")
    assert tags(*change, function="test_f", person_message="fix")[0] == "tests"


def test_a_clear_shape_says_more_than_the_message() -> None:
    one_line = ("def f(x):\n    return x + 1", "def f(x):\n    return x - 1")
    assert tags(*one_line, person_message="feat: add a new mode")[0] == "bugfix"
    only_added = (
        "def f(x):\n    return x",
        "def f(x):\n    log(x)\n    audit(x)\n    notify(x)\n    return x",
    )
    assert tags(*only_added, person_message="audit trail")[0] == "feature"
    assert tags(*only_added, task_text="feat: audit every call")[0] == "feature"


def test_lines_only_added_that_the_person_says_fix_are_a_bugfix() -> None:
    """A guard or a missing call added to make the agent's code right: the person's own
    word decides between growth and a fix; the agent's task does not."""
    only_added = (
        "def f(x):\n    return x",
        "def f(x):\n    log(x)\n    audit(x)\n    notify(x)\n    return x",
    )
    assert tags(*only_added, person_message="fix(sync): the audit trail")[0] == "bugfix"


def test_a_title_about_errors_lets_handling_lead_a_large_change() -> None:
    message = "fix(stage): tell open failures from integrity failures"
    assert tags(*_STAGING, "go", person_message=message)[0] == "error_handling"


def test_error_handling_taken_out_is_error_handling() -> None:
    """A try/finally dropped around a call the person keeps: handling changed."""
    before = "def f(s):\n    r = s.get()\n    try:\n        r.check()\n    finally:\n        r.close()\n    return r"
    after = "def f(s):\n    r = s.get()\n    r.check()\n    log(r)\n    return r"
    assert "error_handling" in tags(before, after)


def test_caching_by_name_and_javascript_question_marks_are_no_error_handling() -> None:
    cached = (
        "def first(self):\n    return self.load()[0]",
        "def first(self):\n    self._cached_first = self._cached_first or self.load()[0]\n"
        "    return self._cached_first",
    )
    assert "performance" in tags(*cached)
    ternary = (
        "function f(a, b, c) {\n  const x = a.b;\n  const y = b;\n  return x + y + c;\n}",
        "function f(a, b, c) {\n  const x = a?.b;\n  const y = b ? b : c;\n  return x ?? y;\n}",
    )
    assert "error_handling" not in tags(*ternary, "javascript", path="f.js")


def test_a_large_move_out_is_refactor_not_error_handling() -> None:
    """Twelve lines, `if err != nil` among them, moved out into another module's helper:
    the handling went with the code; the person's word says what the change is."""
    body = "".join(f"\tstep{i}(ev)\n" for i in range(10))
    before = (
        "func (s *Source) handle(ev Event) error {\n"
        + body
        + "\tif err := s.flush(); err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}"
    )
    after = "func (s *Source) handle(ev Event) error {\n\treturn s.client.handle(ev)\n}"
    found = tags(before, after, "go", person_message="Move client event handling into client.go")
    assert found[0] == "refactor"


def test_performance_words_in_the_persons_message() -> None:
    change = (
        "def load(ids):\n    out = []\n    for i in ids:\n        out.append(get(i))\n    return out",
        "def load(ids):\n    rows = get_many(ids)\n    by_id = {r.id: r for r in rows}\n    return [by_id[i] for i in ids]",
    )
    assert tags(*change, person_message="Replace the N+1 query with one batch")[0] == "performance"


def test_a_translation_key_switched_is_docs() -> None:
    """`t(I18nKey.TOKEN_OPTIONAL)` → `t(I18nKey.TOKEN_LABEL)`: the label's text changed; the
    same swap in any other call is code."""
    label = (
        'function F() {\n  return <Input label={t(I18nKey.TOKEN_OPTIONAL)} type="password" />;\n}',
        'function F() {\n  return <Input label={t(I18nKey.TOKEN_LABEL)} type="password" />;\n}',
    )
    assert tags(*label, "tsx")[0] == "docs"
    python = ("def f():\n    return _('Save changes')", "def f():\n    return _('Save')")
    assert tags(*python)[0] == "docs"
    other = tuple(text.replace("t(I18nKey", "lookup(I18nKey") for text in label)
    assert tags(*other, "tsx")[0] != "docs"
