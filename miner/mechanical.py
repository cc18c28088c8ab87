"""Edits that are mechanical, not preferences: a person who runs a formatter, edits comments,
renames a function, or applies one substitution across a commit teaches nothing about the
agent's code. Each test returns the skip reason under which the non-pair is counted.

- `formatter_only`: the same code tokens after normalising white space, line breaks, quote
  style, semicolons, trailing commas and parentheses.
- `comment_only`: the same code tokens, other comments inside the function (docstrings and
  the doc comment right above it stay pairs).
- `imports_only`: the same code tokens once its own import statements are set aside, its
  imports only reordered or dropped where it never used the names they bind (a lint fix's
  unused import: `imports.py`).
- `pure_rename`: the function's own name changed and nothing else.
- `ripple`: the function's change is only names the commit renames where they are defined, or
  only arguments of calls to functions whose parameters the commit changes.
- `adopts_refactor`: in a commit whose title says it restructures code (`trail.says_refactor`),
  the function's change starts using a function, type or module-level name that the commit
  itself defines and also puts to use in at least `ADOPTION_PLACES` other places (a shared
  helper extracted, a new type or store migrated to): the function follows the refactor.
- `follows_source`: a test that calls a function the same commit changes outside tests, or
  whose change is made only of substitutions (word by word, as for sweeps) that the commit
  also makes outside tests: an expected message or value, a call or a type that follows the
  source it tests, where the source's row says it.
- `snapshot_update`: a test whose change lies only inside inline snapshots (inline-snapshot's
  `snapshot(…)`, Jest's and Vitest's `toMatchInlineSnapshot(…)`, insta's `@"…"`): a tool
  rewrites those with the output the code under test now gives, so they follow that code.
- `sweep`: the function's change is made only of substitutions (compared word by word: inside
  names and strings too, so `convo` → `conversation` and a CSS class rename count) that the
  commit also makes elsewhere, and one of them in at least `SWEEP_MIN` places, at least one of
  those in lines no agent wrote, or the places in lines of at least `SWEEP_TASKS` agent commits
  (a change across the codebase, such as a lint fix or an API migration, not the answer to one
  agent's task), or in a commit whose title says it restructures code (`trail.says_refactor`).
  The same holds where only what the change does to the agent's lines (the hunks that touch
  them) is such a sweep: the rest of the change edits lines the agent did not write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .authorship import Authors, Hunk, token_opcodes
from .imports import only_drops_unused_imports
from .lexer import (
    code_tokens,
    comments,
    formatter_tokens,
    leading_comments,
    name_words,
    sweep_tokens,
)
from .tasks import is_test_path
from .tokens import KEYWORDS, closing_bracket, enclosing_call

SWEEP_MIN = 5
SWEEP_TASKS = 3  # agent commits whose lines one substitution spans: the codebase, not one task
ADOPTION_PLACES = 3  # hunks besides its definition that use a name the commit introduces
DEFINITION_REACH = 400  # lines read up from a change for the definition it lies in
SNAPSHOT_CALLS = frozenset(
    {"snapshot", "toMatchInlineSnapshot", "toThrowErrorMatchingInlineSnapshot"}
)  # calls whose arguments a snapshot tool writes
_INSTA_MACRO = re.compile(r"assert_\w*snapshot\Z")

DEPENDENCY_MANIFESTS = frozenset(
    {
        "Cargo.toml",
        "Cargo.lock",
        "package.json",
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "go.mod",
        "go.sum",
        "pyproject.toml",
        "poetry.lock",
        "uv.lock",
        "requirements.txt",
        "Pipfile",
        "Pipfile.lock",
        "Gemfile",
        "Gemfile.lock",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
    }
)  # a commit that edits one of these may follow a dependency's API change

Substitution = tuple[tuple[str, ...], tuple[str, ...]]

_NAME = re.compile(r"[A-Za-z_$][\w$]*\Z")
_WORD = re.compile(r"[A-Za-z]{4,}\Z")  # a word, not a number, a symbol or a short name
_SWEEP_SEPARATOR = "\x1f"


def function_edit_reason(
    rejected: str, chosen: str, old_name: str, new_name: str, language: str
) -> str | None:
    """formatter_only, comment_only, imports_only or pure_rename, judged on the two function
    texts alone."""
    if old_name != new_name:
        renamed = [new_name if t == old_name else t for t in code_tokens(rejected, language)]
        if renamed == code_tokens(chosen, language):
            return "pure_rename"
        return None
    if formatter_tokens(rejected, language) != formatter_tokens(chosen, language):
        return "imports_only" if only_drops_unused_imports(rejected, chosen, language) else None
    if leading_comments(rejected, language) != leading_comments(chosen, language):
        return None  # the function's doc comment (Go, Rust `///`, JSDoc): docs, a pair
    if comments(rejected, language) != comments(chosen, language):
        return "comment_only"
    return "formatter_only"


def _snapshot_only(old: list[str], new: list[str]) -> bool:
    """Does the change of these code tokens lie only inside inline snapshots (`snapshot(…)`,
    not a method `.snapshot(…)`; `.toMatchInlineSnapshot(…)`; what follows `@` in an insta
    macro)?"""
    return old != new and _without_snapshots(old) == _without_snapshots(new)


def _without_snapshots(tokens: list[str]) -> list[str]:
    """The tokens with what each inline snapshot holds left out."""
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        out.append(token)
        index += 1
        if index == len(tokens) or tokens[index] != "(":
            continue
        if token == "!" and len(out) > 1 and _INSTA_MACRO.match(out[-2]):
            end = closing_bracket(tokens, index)
            at = next((i for i in range(index, end) if tokens[i] == "@"), None)
            if at is None:  # no inline snapshot: the macro's arguments as they are
                out += tokens[index : end + 1]
                index = end + 1
            else:  # its arguments up to `@`; the snapshot left out, its `)` kept
                out += tokens[index : at + 1]
                index = end
        elif token in SNAPSHOT_CALLS and (token != "snapshot" or out[-2:-1] != ["."]):
            out += ["(", ")"]
            index = closing_bracket(tokens, index) + 1
    return out


def _substitutions(old: list[str], new: list[str]) -> list[Substitution]:
    """The token runs a change replaces, inserts or deletes."""
    return [
        (tuple(old[i1:i2]), tuple(new[j1:j2]))
        for op, i1, i2, j1, j2 in token_opcodes(old, new)
        if op != "equal"
    ]


@dataclass
class CommitEdits:
    """Every hunk of one commit, as substitutions, for the commit-wide tests."""

    language_of: dict[str, str]
    hunks: dict[str, list[Hunk]]
    authors: dict[str, Authors]  # authorship before the commit, where agents wrote lines
    texts: dict[str, tuple[str, str]]  # each file's text before and after the commit
    dependencies_changed: bool = False  # the commit edits a dependency manifest or lock file
    refactoring: bool = False  # the commit's title says it restructures code

    def __post_init__(self) -> None:
        self._tokens: dict[tuple[str, int], tuple[list[str], list[str]]] = {}
        self._subs: dict[tuple[str, int], set[Substitution]] = {}
        self._place_cache: dict[Substitution, set[tuple[str, int]]] = {}
        self._signatures: dict[str, bool] = {}
        self._parameter_lists: dict[str, dict[str, set[str]]] = {}  # file text → its index
        self._texts: dict[tuple[str, int], tuple[str, str]] = {}
        self._removed: set[str] | None = None
        self._sources: set[str] | None = None
        self._defined: list[tuple[tuple[str, int], set[str], set[str]]] | None = None
        self._moved: tuple[dict[str, set[str]], dict[str, set[str]], set[str], set[str]] | None = (
            None
        )

    def _hunk_text(self, path: str, hunk: Hunk) -> tuple[str, str]:
        place = (path, hunk.old_start)
        if place not in self._texts:
            self._texts[place] = ("".join(hunk.old_lines), "".join(hunk.new_lines))
        return self._texts[place]

    def _hunk_tokens(self, path: str, hunk: Hunk) -> tuple[list[str], list[str]]:
        place = (path, hunk.old_start)
        if place not in self._tokens:
            language = self.language_of[path]
            self._tokens[place] = (
                sweep_tokens("".join(hunk.old_lines), language),
                sweep_tokens("".join(hunk.new_lines), language),
            )
        return self._tokens[place]

    def _places(self, sub: Substitution) -> set[tuple[str, int]]:
        """The hunks of the commit that make substitution `sub`; a token-set test first, so
        only hunks that could make it are diffed."""
        if sub not in self._place_cache:
            old_needed, new_needed = set(sub[0]), set(sub[1])
            longest_old = max(sub[0], key=len, default="")
            longest_new = max(sub[1], key=len, default="")
            found = set()
            for path, changes in self.hunks.items():
                for hunk in changes:
                    old_text, new_text = self._hunk_text(path, hunk)
                    if longest_new not in new_text or longest_old not in old_text:
                        continue  # plain text first: most hunks cannot hold the words
                    old, new = self._hunk_tokens(path, hunk)
                    if not old_needed.issubset(old) or not new_needed.issubset(new):
                        continue
                    place = (path, hunk.old_start)
                    if place not in self._subs:
                        self._subs[place] = set(_substitutions(old, new))
                    if sub in self._subs[place]:
                        found.add(place)
            self._place_cache[sub] = found
        return self._place_cache[sub]

    def reason(
        self,
        rejected: str,
        chosen: str,
        language: str,
        own_places: set[tuple[str, int]],
        own_name: str = "",
        test: bool = False,
    ) -> str | None:
        """snapshot_update, sweep, ripple, follows_source or adopts_refactor for a function (a
        test where `test`) changed from `rejected` to `chosen` by the hunks `own_places`
        ((path, old_start)) that touch the agent's lines, else None."""
        old, new = code_tokens(rejected, language), code_tokens(chosen, language)
        if test and _snapshot_only(old, new):
            return "snapshot_update"
        subs = _substitutions(old, new)
        if not subs:
            return None
        words = _substitutions(sweep_tokens(rejected, language), sweep_tokens(chosen, language))
        if self._swept(words, own_places) or self._swept(self._own_words(own_places), own_places):
            return "sweep"  # the whole change, or all it does to the agent's lines
        if test and (
            self._calls_changed_source(old + new, own_name)
            or (words and all(self._made_in_source(sub, own_places) for sub in words))
        ):
            return "follows_source"
        if self._follows_renames(rejected, chosen, own_places, old, new):
            return "ripple"
        if self._follows_calls(old, new, own_places, own_name):
            return "ripple"
        if self.refactoring and self._adopts_introduced(old, new):
            return "adopts_refactor"
        return None

    def _swept(self, subs: list[Substitution], own_places: set[tuple[str, int]]) -> bool:
        """Are `subs` all made elsewhere in the commit too, one of them a sweep?"""
        return (
            bool(subs)
            and any(self._is_sweep(sub, own_places) for sub in subs)
            and all(len(self._places(sub) - own_places) >= 1 for sub in subs)
        )

    def _own_words(self, own_places: set[tuple[str, int]]) -> list[Substitution]:
        """The substitutions, word by word, of the hunks that touch the agent's lines: where
        they are a sweep, what else the change does edits lines the agent did not write."""
        found: list[Substitution] = []
        for place in sorted(own_places):
            hunk = self._hunk_at(place)
            if hunk is not None:
                found += _substitutions(*self._hunk_tokens(place[0], hunk))
        return found

    def _hunk_at(self, place: tuple[str, int]) -> Hunk | None:
        """The commit's hunk at (path, old_start)."""
        path, start = place
        return next((h for h in self.hunks.get(path, ()) if h.old_start == start), None)

    def _adopts_introduced(self, old: list[str], new: list[str]) -> bool:
        """Does the change start using a name the commit defines and uses in at least
        ADOPTION_PLACES other hunks?"""
        adopted = (set(new) - set(old)) & self._move_index()[3]  # defined nowhere before
        return any(self._uses(name) >= ADOPTION_PLACES for name in adopted)

    def _uses(self, name: str) -> int:
        """The hunks whose new lines use `name` without defining it."""
        word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
        every = ((path, hunk) for path, changes in self.hunks.items() for hunk in changes)
        return sum(
            1
            for (path, hunk), (_place, _old, defined) in zip(
                every, self._definitions(), strict=True
            )
            if name not in defined and word.search(self._hunk_text(path, hunk)[1])
        )

    def _made_in_source(self, sub: Substitution, own_places: set[tuple[str, int]]) -> bool:
        """Does the commit make substitution `sub` in a file that is not a test: the same
        change of a hunk, or, for a change that holds a word (not only numbers and symbols),
        a hunk whose lines lose its old words and gain its new ones, in order (the source's
        message may be reworded inside a wider change of its hunk)?"""
        if any(not is_test_path(path) for path, _start in self._places(sub) - own_places):
            return True
        if not any(_WORD.match(token) for token in sub[0] + sub[1]):
            return False
        return any(
            self._swaps(path, hunk, sub)
            for path, changes in self.hunks.items()
            if not is_test_path(path)
            for hunk in changes
            if (path, hunk.old_start) not in own_places  # a test inline in a source file
        )

    def _swaps(self, path: str, hunk: Hunk, sub: Substitution) -> bool:
        """Do the hunk's new lines hold `sub`'s new words more often than its old lines, and
        its old lines `sub`'s old words more often than its new lines?"""
        old_text, new_text = self._hunk_text(path, hunk)
        if any(token not in new_text for token in sub[1]):
            return False  # plain text first: most hunks cannot hold the words
        old, new = (_joined(side) for side in self._hunk_tokens(path, hunk))
        gained, lost = _joined(sub[1]), _joined(sub[0])
        return (not sub[1] or new.count(gained) > old.count(gained)) and (
            not sub[0] or old.count(lost) > new.count(lost)
        )

    def _calls_changed_source(self, tokens: list[str], own_name: str) -> bool:
        """Does the test call a function whose definition the commit changes outside tests?"""
        changed = self._changed_sources() - {own_name}
        return any(name in changed for name in _called(tokens, 0, len(tokens)))

    def _changed_sources(self) -> set[str]:
        """Names of the definitions that enclose the commit's changes outside tests: the
        nearest definition line at or above each hunk's last new line (at most
        DEFINITION_REACH lines up)."""
        if self._sources is None:
            found: set[str] = set()
            for path, changes in self.hunks.items():
                if is_test_path(path) or path not in self.texts:
                    continue
                lines = self.texts[path][1].splitlines()
                for hunk in changes:
                    last = min(hunk.new_start + max(hunk.new_count, 1) - 1, len(lines))
                    for n in range(last, max(0, last - DEFINITION_REACH), -1):
                        names = {m for m in _defined_names(lines[n - 1]) if len(m) >= 4}
                        # (a name of 3 letters or fewer, `get`, `run`, is called everywhere)
                        if names:
                            found |= names
                            break
            self._sources = found
        return self._sources

    def _is_sweep(self, sub: Substitution, own_places: set[tuple[str, int]]) -> bool:
        if sum(len(changes) for changes in self.hunks.values()) < SWEEP_MIN:
            return False
        places = self._places(sub)
        if len(places) < SWEEP_MIN:
            return False
        writers = {place: self._writers(place) for place in places}
        agent_free_elsewhere = any(not writers[place] for place in places - own_places)
        if agent_free_elsewhere or self.refactoring:
            return True  # a restructuring's substitution, whoever wrote the lines
        return len(set().union(*writers.values())) >= SWEEP_TASKS

    def _writers(self, place: tuple[str, int]) -> set[int]:
        """The agent commits (author numbers) that wrote the lines this hunk changes."""
        path, start = place
        authors = self.authors.get(path)
        if authors is None:
            return set()
        hunk = self._hunk_at(place)
        if hunk is None:
            return set()
        lines = range(start, start + hunk.old_count) if hunk.old_count else (start, start + 1)
        return {authors[n - 1] for n in lines if 0 < n <= len(authors) and authors[n - 1]}

    def _follows_renames(
        self,
        rejected: str,
        chosen: str,
        own: set[tuple[str, int]],
        old_tokens: list[str],
        new_tokens: list[str],
    ) -> bool:
        """Is `chosen` just `rejected` with the names the commit renames where they are
        defined (outside `own`) replaced, in code and inside strings (f-strings, templates),
        and the names it moves to another file qualified (`tryFileLock` → `lock.TryFile`)?"""
        renames = self._renames(own)
        moves = self._moves_in(old_tokens, new_tokens)
        if not renames and not moves:
            return False
        text = rejected
        for old, new in renames + moves:
            text = re.sub(rf"(?<![\w$]){re.escape(old)}(?![\w$])", new, text)
        bare = chosen
        for _old, new in moves:
            qualified = rf"(?<![\w$.])[A-Za-z_$][\w$]*\s*\.\s*(?={re.escape(new)}(?![\w$]))"
            bare = re.sub(qualified, "", bare)
        changed = text != rejected or bare != chosen
        return changed and " ".join(text.split()) == " ".join(bare.split())

    def _moves_in(self, old: list[str], new: list[str]) -> list[tuple[str, str]]:
        """(old, new) for each name the function's change swaps for a (qualified) name the
        commit moves it to in another file: the same name, or, for a name defined nowhere
        after the commit, a new one whose words are a part of its own or hold them
        (`tryFileLock` → `lock.TryFile`, `errLockContended` → `lock.ErrContended`)."""
        left, arrived, gone, come = self._move_index()
        if not left:
            return []
        found = []
        for op, i1, i2, j1, j2 in token_opcodes(old, new):
            was, now = old[i1:i2], new[j1:j2]
            if op == "insert" and len(now) == 2 and now[1] == "." and j2 < len(new):
                was, now = [new[j2]], [new[j2]]  # a qualifier put before a name
            elif (
                op != "replace"
                or len(was) != 1
                or len(now) not in (1, 3)
                or now[1:2] not in ([], ["."])
            ):
                continue
            name, other = was[0], now[-1]
            moved = name in left and arrived.get(other, set()) - left[name]
            renamed = name in gone and other in come and _words_nest(name, other)
            if moved and (name == other or renamed):
                found.append((name, other))
        return list(dict.fromkeys(found))

    def _move_index(self) -> tuple[dict[str, set[str]], dict[str, set[str]], set[str], set[str]]:
        """Names whose definitions leave files (→ those files) and arrive in files, and of
        them those defined nowhere after the commit and nowhere before it."""
        if self._moved is None:
            left: dict[str, set[str]] = {}
            arrived: dict[str, set[str]] = {}
            olds: dict[str, set[str]] = {}
            news: dict[str, set[str]] = {}
            for (path, _start), before, after in self._definitions():
                olds.setdefault(path, set()).update(before)
                news.setdefault(path, set()).update(after)
            for path in olds:
                for name in olds[path] - news[path]:
                    left.setdefault(name, set()).add(path)
                for name in news[path] - olds[path]:
                    arrived.setdefault(name, set()).add(path)
            gone = set(left) - set().union(*news.values())
            come = set(arrived) - set().union(*olds.values())
            self._moved = (left, arrived, gone, come)
        return self._moved

    def _definitions(self) -> list[tuple[tuple[str, int], set[str], set[str]]]:
        """Per hunk, (path, old_start) and the names its old and its new lines define: read
        once, for the renames and the removed definitions alike."""
        if self._defined is None:
            self._defined = [
                (
                    (path, hunk.old_start),
                    {m for line in hunk.old_lines for m in _defined_names(line)},
                    {m for line in hunk.new_lines for m in _defined_names(line)},
                )
                for path, changes in self.hunks.items()
                for hunk in changes
            ]
        return self._defined

    def _renames(self, own: set[tuple[str, int]]) -> list[tuple[str, str]]:
        """(old, new) for each definition a hunk outside `own` renames: one defined name gone,
        one come, in the same hunk."""
        found = []
        for place, before, after in self._definitions():
            gone, come = before - after, after - before
            if place not in own and len(gone) == 1 and len(come) == 1:
                found.append((next(iter(gone)), next(iter(come))))
        return found

    def _follows_calls(
        self, old: list[str], new: list[str], own: set[tuple[str, int]], own_name: str
    ) -> bool:
        """Is every change a call site adapted to its callee: the callee's name as the commit
        renames it (or, in a commit that changes a dependency manifest, as the dependency now
        names it), arguments of a call whose parameters the commit changes, new lines that
        only prepare those arguments (`let cfg = …` then `call(cfg)`), and deleted calls of
        functions the commit removes (a setter the new argument replaces)?"""
        renames = dict(self._renames(own))
        old = [renames.get(token, token) for token in old]
        adapted: set[str] = set()  # calls whose callee the commit renames or changes
        argument_names: set[str] = set()
        preparations: list[list[str]] = []
        for op, i1, i2, j1, j2 in token_opcodes(old, new):
            if op == "equal":
                continue
            if self.dependencies_changed and _switches_callee(old, new, i1, i2, j1, j2):
                adapted.update((old[i1], new[j1]))
                continue
            name = _call_around(old, i1)
            if name and name != own_name and (name in adapted or self._signature_changed(name)):
                adapted.add(name)  # the function's own parameter list is no call site
                argument_names.update(t for t in new[j1:j2] if _NAME.match(t))
            elif op == "insert":
                preparations.append(new[j1:j2])
            elif op != "delete" or not self._only_calls_removed(old, i1, i2):
                return False  # a deleted call of a function the commit removes goes with it
        return bool(adapted) and all(
            _binds(inserted) in argument_names for inserted in preparations
        )

    def _only_calls_removed(self, tokens: list[str], start: int, end: int) -> bool:
        """Are the calls in tokens[start:end] all of functions the commit removes?"""
        called = _called(tokens, start, end)
        return bool(called) and all(name in self._removed_definitions() for name in called)

    def _removed_definitions(self) -> set[str]:
        """Names whose definitions the commit deletes, defined nowhere after it."""
        if self._removed is None:
            self._removed = {
                name
                for name in self._move_index()[2]
                if not any(self._parameters(new, name) for _old, new in self.texts.values())
            }
        return self._removed

    def _parameters(self, text: str, name: str) -> set[str]:
        """The parameter lists of every definition of `name` in `text`, one of this commit's
        file versions (each indexed once, for every name asked)."""
        index = self._parameter_lists.get(text)
        if index is None:
            index = self._parameter_lists[text] = _parameter_index(text)
        return index.get(name, set())

    def _signature_changed(self, name: str) -> bool:
        """Does the commit change the parameter list of a function `name` defines (under its
        old name, where the commit renames it)?"""
        if name not in self._signatures:
            earlier = next((old for old, new in self._renames(set()) if new == name), name)
            self._signatures[name] = any(
                self._parameters(old, earlier) != self._parameters(new, name)
                and self._parameters(old, earlier)
                and self._parameters(new, name)
                for old, new in self.texts.values()
                if earlier in old and name in new  # a plain search first: most files lack it
            )
        return self._signatures[name]


_KEYWORD_START = r"\b(?:def|func|fn|function)\s+(?:\([^)]*\)\s*)?{name}\s*(?:<[^>(]*>)?\s*\("
_METHOD_START = (
    r"^[ \t]*(?:(?:public|private|protected|static|async|override|pub(?:\([\w:]+\))?|export)\s+)*"
    r"{name}\s*(?:<[^>(]*>)?\s*\("
)
_METHOD_BODY = re.compile(r"\s*(?:(?:->|:)\s*[^{;=]+)?\s*\{")
_ANY_KEYWORD_START = re.compile(_KEYWORD_START.format(name=r"([A-Za-z_$][\w$]*)"), re.MULTILINE)
_ANY_METHOD_START = re.compile(_METHOD_START.format(name=r"([A-Za-z_$][\w$]*)"), re.MULTILINE)


def _parameter_index(text: str) -> dict[str, set[str]]:
    """The parameter lists (white space removed) of every definition in `text`, by name: a
    keyword definition (def, func, fn, function), or a method whose list a body follows. One
    pass of each pattern: a wide commit asks for many names in each of its files."""
    found: dict[str, set[str]] = {}
    for pattern, needs_body in ((_ANY_KEYWORD_START, False), (_ANY_METHOD_START, True)):
        for match in pattern.finditer(text):
            end = _list_end(text, match.end())
            if needs_body and not _METHOD_BODY.match(text, end):
                continue
            found.setdefault(match.group(1), set()).add("".join(text[match.end() : end].split()))
    return found


_PAREN = re.compile(r"[()]")
PARAMETERS_MAX = 4000  # characters of a parameter list read, at most


def _list_end(text: str, start: int) -> int:
    """Just past the `)` that closes the list opened right before `start` (brackets counted,
    from one bracket to the next), or where reading stops: PARAMETERS_MAX characters on, or
    the text's end."""
    limit, depth, end = min(len(text), start + PARAMETERS_MAX), 1, start
    while depth:
        bracket = _PAREN.search(text, end, limit)
        if bracket is None:
            return limit
        depth += 1 if bracket.group() == "(" else -1
        end = bracket.end()
    return end


_DEFINED_NAMES = (
    re.compile(
        r"\b(?:def|func|fn|function|class|struct|interface|type|enum|trait)\s+"
        r"(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)"
    ),
    re.compile(
        r"^\s*(?:(?:public|private|protected|static|async|override|pub(?:\([\w:]+\))?|export)\s+)*"
        r"([A-Za-z_$][\w$]*)\s*\([^;]*\)\s*(?:(?:->|:)[^{;=]*)?\{\s*$"
    ),
    re.compile(r"^(?:export\s+)?(?:var|const|let|static)\s+([A-Za-z_$][\w$]*)"),
    re.compile(r"^([A-Za-z_][\w]*)\s*(?::[^=\n]+)?=(?!=)"),
)  # a keyword definition anywhere in the line; a method header (`name(…) {`); a top-level
# variable or constant (unindented `var`, `const`, `let`, `static`, or a module-level
# `NAME = …` / `Alias: TypeAlias = …`)


def _called(tokens: list[str], start: int, end: int) -> list[str]:
    """The names called in tokens[start:end] (a name right before `(`, keywords aside)."""
    return [
        tokens[k]
        for k in range(start, min(end, len(tokens) - 1))
        if tokens[k + 1] == "(" and _NAME.match(tokens[k]) and tokens[k] not in KEYWORDS
    ]


def _joined(tokens: tuple[str, ...] | list[str]) -> str:
    """Tokens as one string, each between separators, so that runs are found whole."""
    return _SWEEP_SEPARATOR + _SWEEP_SEPARATOR.join(tokens) + _SWEEP_SEPARATOR


def _words_nest(first: str, second: str) -> bool:
    """Are the words of one name a part of the other's (`tryFileLock`, `TryFile`)?"""
    one, two = name_words(first), name_words(second)
    return bool(one and two) and (one <= two or two <= one)


def _defined_names(line: str) -> set[str]:
    """Names a line defines (a def/func/fn/class line, or a method header)."""
    return {
        name
        for pattern in _DEFINED_NAMES
        for match in pattern.finditer(line)
        for name in match.groups()
        if name and name not in KEYWORDS
    }


def _switches_callee(old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int) -> bool:
    """Does this change replace one called name by another (`.get(` → `.get_decrypted(`)?"""
    return (
        i2 - i1 == 1
        and j2 - j1 == 1
        and _NAME.match(old[i1]) is not None
        and _NAME.match(new[j1]) is not None
        and old[i1] not in KEYWORDS
        and new[j1] not in KEYWORDS
        and i2 < len(old)
        and j2 < len(new)
        and old[i2] == new[j2] == "("
    )


_BINDING_WORDS = {"let", "mut", "var", "const", "auto", "val"}


def _binds(tokens: list[str]) -> str | None:
    """The name an inserted statement assigns (`let mut cfg = …`, `cfg.field = …`, `x := …`),
    None if it assigns nothing."""
    if "=" not in tokens and ":=" not in tokens:
        return None
    return next((t for t in tokens if _NAME.match(t) and t not in _BINDING_WORDS), None)


def _call_around(tokens: list[str], index: int) -> str | None:
    name = enclosing_call(tokens, index)
    return name if name and _NAME.match(name) and name not in KEYWORDS else None
