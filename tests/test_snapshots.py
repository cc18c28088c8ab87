"""Agent edit snapshots: the sh hot path fed the hook payloads Claude Code and Cursor document,
real git throughout, then `mine` turning sessions into `edit` pairs."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from selfware_git.miner.filters import MAX_FILE_BYTES, SENSITIVE_NAMES
from tests.gitrepo import CLI, GitRepo
from tests.snapshot_agent import SCRIPT, ClaudeSession, cursor_payload, snapshot

PARSE = "def parse(text):\n    return text\n"
AGENT_PARSE = "def parse(text):\n    return int(text)\n"
PERSON_PARSE = (
    "def parse(text):\n    value = int(text.strip())\n"
    "    if not 0 < value < 65536:\n        raise ValueError(text)\n    return value\n"
)
SESSION_REF = "refs/selfware/snapshot/claude/5f2c1b7e-claude-session"


@pytest.fixture
def base(repo: GitRepo) -> GitRepo:
    repo.commit("base", {"app.py": PARSE, ".gitignore": "build/\n"})
    return repo


def chain(repo: GitRepo, ref: str = SESSION_REF) -> list[str]:
    """The session's events, oldest first."""
    log = repo.git("log", "--first-parent", "--reverse", "--format=%s", ref).stdout
    return [line.rsplit(" ", 1)[-1] for line in log.splitlines()]


def person_fixes_the_agents_edit(
    base: GitRepo, prompt: str = "Parse the port number"
) -> ClaudeSession:
    """A Claude Code session: the prompt, the agent's edit, the person's fix of it in the
    editor, and the agent's next tool call that sees it."""
    session = ClaudeSession(base)
    session.prompt(prompt)
    session.edit({"app.py": AGENT_PARSE})
    base.write("app.py", PERSON_PARSE)
    session.call("pre")
    return session


def test_person_fixes_before_committing_gives_one_edit_pair_with_the_prompt(base, mine):
    session = ClaudeSession(base)
    session.prompt("Parse the port number")
    session.edit({"app.py": AGENT_PARSE})
    base.write("app.py", PERSON_PARSE)  # the person, in the editor
    session.call("pre", tool="Read")  # the agent's next tool call sees the person's edit
    base.commit("parse ports")
    assert chain(base) == ["prompt", "pre", "post", "pre"]
    rows, report = mine(base)
    assert report["events"] == {"edit": 1}
    assert len(rows) == 1
    row = rows[0]
    assert row["rejected"] == AGENT_PARSE.rstrip("\n")
    assert row["chosen"] == PERSON_PARSE.rstrip("\n")
    assert row["prompt"].startswith("Parse the port number\n")
    meta = row["metadata"]
    assert (meta["event"], meta["agent"], meta["function"]) == ("edit", "claude", "parse")
    assert meta["corrected_by"] == "Pat Person"
    post, pre = base.git("rev-list", "--first-parent", "-n", "2", SESSION_REF).stdout.split()[::-1]
    assert (meta["rejected_commit"], meta["chosen_commit"]) == (post, pre)


def test_person_fix_found_in_the_first_later_commit(base, mine):
    session = ClaudeSession(base)
    session.prompt("Parse the port number")
    session.edit({"app.py": AGENT_PARSE})
    base.write("app.py", PERSON_PARSE)  # no further tool call: the commit holds the fix
    person = base.commit("parse ports")
    rows, _ = mine(base)
    assert [(r["rejected"], r["chosen"]) for r in rows] == [
        (AGENT_PARSE.rstrip("\n"), PERSON_PARSE.rstrip("\n"))
    ]
    assert rows[0]["metadata"]["chosen_commit"] == person
    assert rows[0]["prompt"].startswith("Parse the port number")


def test_agent_rewriting_its_own_code_later_is_no_pair(base, mine):
    session = ClaudeSession(base)
    session.prompt("Parse the port number")
    session.edit({"app.py": AGENT_PARSE})
    session.edit({"app.py": PERSON_PARSE})  # the agent's own second try
    base.commit("parse ports")
    rows, _ = mine(base)
    assert rows == []


def test_new_untracked_file_is_snapshotted_and_paired(base, mine):
    session = ClaudeSession(base)
    session.prompt("Add a port parser module")
    session.edit({"ports.py": AGENT_PARSE, "build/out.py": "x = 1\n", ".env": "TOKEN=abc\n"})
    files = base.git("ls-tree", "-r", "--name-only", SESSION_REF).stdout.split()
    assert "ports.py" in files
    assert "build/out.py" not in files  # .gitignore respected
    assert ".env" not in files  # sensitive names never stored
    base.write("ports.py", PERSON_PARSE)
    session.call("pre", tool="Read")
    rows, _ = mine(base)
    assert [(r["metadata"]["path"], r["chosen"]) for r in rows] == [
        ("ports.py", PERSON_PARSE.rstrip("\n"))
    ]


def test_index_worktree_and_status_of_the_person_untouched(base):
    base.write("staged.py", "def staged():\n    return 1\n")
    base.git("add", "staged.py")
    base.write("app.py", "def parse(text):\n    return text.strip()\n")  # unstaged
    base.write("scratch.txt", "notes\n")  # untracked
    before = [base.git(*cmd).stdout for cmd in STATE_COMMANDS]
    session = ClaudeSession(base)
    session.prompt("Tidy up")
    session.edit({"new.py": "def new():\n    return 2\n"})
    session.call("pre")
    base.path.joinpath("new.py").unlink()
    after = [base.git(*cmd).stdout for cmd in STATE_COMMANDS]
    assert after == before
    snap = base.git("show", f"{SESSION_REF}~1:staged.py").stdout
    assert snap == "def staged():\n    return 1\n"  # staged work is in the snapshot too


STATE_COMMANDS = (
    ("ls-files", "--stage"),
    ("diff", "--cached"),
    ("diff",),
    ("status", "--porcelain=v1", "--untracked-files=all"),
)


def test_two_concurrent_sessions_keep_their_own_chains(base, mine):
    def burst(session: str, count: int) -> list[subprocess.Popen]:
        procs = []
        for i in range(count):
            payload = json.dumps({"session_id": session, "hook_event_name": "PreToolUse"})
            proc = subprocess.Popen(
                ["sh", str(SCRIPT), "--agent", "claude", "--event", "pre" if i % 2 else "post"],
                cwd=base.path,
                env=base.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            proc.stdin.write(payload.encode())
            proc.stdin.close()
            procs.append(proc)
        return procs

    base.write("a.py", "def a():\n    return 1\n")
    procs = burst("session-a", 6) + burst("session-b", 6)
    for proc in procs:
        assert proc.wait(timeout=60) == 0
        assert proc.stdout.read() == proc.stderr.read() == b""
    refs = base.git("for-each-ref", "--format=%(refname)", "refs/selfware/snapshot/").stdout
    assert refs.split() == [
        "refs/selfware/snapshot/claude/session-a",
        "refs/selfware/snapshot/claude/session-b",
    ]
    for ref in refs.split():  # every snapshot of each chain, not only the last
        for commit in base.git("rev-list", ref).stdout.split():
            assert "a.py" in base.git("ls-tree", "--name-only", commit).stdout
    # Then each session goes on, edited by the agent and fixed by the person.
    for name in ("session-a", "session-b"):
        ClaudeSession(base, name).prompt(f"Task of {name}")
    ClaudeSession(base, "session-a").edit({"app.py": AGENT_PARSE})
    ClaudeSession(base, "session-b").edit({"b.py": AGENT_PARSE.replace("parse", "parse_b")})
    base.write("app.py", PERSON_PARSE)
    base.write("b.py", PERSON_PARSE.replace("parse", "parse_b"))
    ClaudeSession(base, "session-a").call("pre")
    ClaudeSession(base, "session-b").call("pre")
    rows, _ = mine(base)
    assert sorted((r["metadata"]["path"], r["prompt"].split("\n")[0]) for r in rows) == [
        ("app.py", "Task of session-a"),
        ("b.py", "Task of session-b"),
    ]


def test_gc_keeps_snapshots(base, mine):
    session = person_fixes_the_agents_edit(base)
    base.git("gc", "--prune=now", "--quiet")
    base.git("fsck", "--no-dangling")
    assert chain(base) == ["prompt", "pre", "post", "pre"]
    session.call("pre")  # packed ref, state file still right: nothing changed, nothing stored
    base.write("app.py", AGENT_PARSE)
    session.call("post")
    assert chain(base)[-1] == "post"
    rows, _ = mine(base)
    assert [r["chosen"] for r in rows] == [PERSON_PARSE.rstrip("\n")]


@pytest.mark.parametrize(
    "payload",
    [b"", b"not json at all", b'{"session_id": ', b"\x00\xff\xfe", b"[" * 5_000_000],
    ids=["empty", "not-json", "torn", "binary", "huge"],
)
@pytest.mark.parametrize("event", ["pre", "post", "prompt"])
def test_broken_payloads_never_fail_or_block(base, payload, event):
    started = time.monotonic()
    proc = snapshot(base, event, payload)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert time.monotonic() - started < 20
    if event != "prompt":
        assert base.git("rev-parse", "-q", "--verify", "refs/selfware/snapshot/claude/unknown")


def test_outside_a_repository_and_bad_arguments_exit_zero_silently(tmp_path, env):
    for args in ([], ["--agent"], ["--agent", "x", "--event", "bogus"], ["--event", "pre"]):
        proc = subprocess.run(
            ["sh", str(SCRIPT), *args], cwd=tmp_path, env=env, input=b"{}", capture_output=True
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")


def test_disable_and_selfware_disable_are_respected(base):
    session = ClaudeSession(base)
    proc = snapshot(base, "pre", "{}", env={"SELFWARE_DISABLE": "1"})
    assert proc.returncode == 0
    base.cli("disable")
    session.call("pre")
    refs = base.git("for-each-ref", "refs/selfware/snapshot/").stdout
    assert refs == ""
    base.cli("enable")
    session.call("pre")
    assert chain(base) == ["pre"]


def test_errors_go_to_errors_log(base):
    base.git("update-ref", SESSION_REF, base.head())  # a ref that is no snapshot chain
    (base.path / ".git/selfware/snapshots/claude").mkdir(parents=True)
    base.path.joinpath(".git/selfware/snapshots/claude/5f2c1b7e-claude-session.index").mkdir()
    proc = snapshot(base, "pre", json.dumps({"session_id": "5f2c1b7e-claude-session"}))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert "snapshot claude pre: failed" in (base.path / ".git/selfware/errors.log").read_text()


def test_cursor_conversation_id_names_the_session(base, mine):
    def call(event: str, **extra: str) -> None:
        payload = cursor_payload(base, "conv/../9 x", event, **extra)
        assert snapshot(base, event, payload, agent="cursor").returncode == 0

    call("prompt", prompt="Parse the port number")
    call("pre")
    base.write("app.py", AGENT_PARSE)
    call("post")
    base.write("app.py", PERSON_PARSE)
    call("pre")
    ref = "refs/selfware/snapshot/cursor/conv____9_x"
    assert chain(base, ref) == ["prompt", "pre", "post", "pre"]
    rows, _ = mine(base)
    assert [(r["metadata"]["agent"], r["metadata"]["event"]) for r in rows] == [("cursor", "edit")]


def test_prompts_are_redacted(base, mine):
    person_fixes_the_agents_edit(
        base, "Use the key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 to parse"
    )
    rows, _ = mine(base)
    assert len(rows) == 1
    assert "sk-ant-api03" not in rows[0]["prompt"]
    assert "<REDACTED:" in rows[0]["prompt"]


def test_mined_sessions_past_their_age_are_pruned(base, mine):
    person_fixes_the_agents_edit(base)
    rows, _ = mine(base)
    assert len(rows) == 1
    assert chain(base)  # younger than 30 days: kept
    base.git("config", "selfware.snapshotMaxAge", "0h")
    time.sleep(1.1)
    rows, _ = mine(base)
    assert len(rows) == 1  # mined once more, then pruned
    assert base.git("for-each-ref", "refs/selfware/snapshot/").stdout == ""
    assert not list((base.path / ".git/selfware/snapshots/claude").iterdir())


def test_forget_removes_the_session_holding_a_commit(base):
    session = ClaudeSession(base)
    session.prompt("Parse the port number")
    session.edit({"app.py": AGENT_PARSE})
    post = base.git("rev-parse", SESSION_REF).stdout.strip()
    session.call("prompt", prompt="next")
    base.cli("forget", "--commit", post[:12])
    assert base.git("for-each-ref", "refs/selfware/snapshot/").stdout == ""
    assert not (base.path / ".git/selfware/snapshots/claude/5f2c1b7e-claude-session").exists()


def test_snapshot_command_is_the_same_entry(base):
    payload = json.dumps({"session_id": "by-hand", "hook_event_name": "PreToolUse"})
    proc = subprocess.run(
        [*CLI, "snapshot", "--agent", "claude", "--event", "pre"],
        cwd=base.path,
        env=base.env,
        input=payload,
        capture_output=True,
        text=True,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert chain(base, "refs/selfware/snapshot/claude/by-hand") == ["pre"]


def test_the_scripts_sensitive_names_and_size_limit_are_the_miners() -> None:
    """The sh hot path cannot import the miner's rules: it states them again, and must say
    the same, or a file the miner never reads would be stored in a snapshot."""
    text = SCRIPT.read_text()
    sensitive = text.split("SENSITIVE='", 1)[1].split("'", 1)[0].split()
    assert sensitive == list(SENSITIVE_NAMES)
    assert f"\nMAX_FILE_BYTES={MAX_FILE_BYTES}\n" in text
