"""Each capture case end to end: real git commands, the real hooks firing, status reading back."""

from __future__ import annotations

import json

import pytest

from tests.gitrepo import GitRepo

AGENT_CODE = "def parse(text):\n    return int(text)\n"
PERSON_CODE = (
    "def parse(text):\n    try:\n        return int(text)\n"
    "    except ValueError:\n        return None\n"
)


def status(repo: GitRepo) -> dict:
    return json.loads(repo.cli("status", "--json").stdout)


def survives_gc(repo: GitRepo, sha: str) -> bool:
    repo.git("reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all")
    repo.git("gc", "-q", "--prune=now")
    return repo.git("cat-file", "-t", sha, check=False).stdout.strip() == "commit"


def test_agent_commit_by_env_keeps_task_text(hooked: GitRepo) -> None:
    sha = hooked.commit("wip", {"app.py": AGENT_CODE}, agent="claude", task="Parse ints")
    refs = hooked.git("for-each-ref", "--format=%(refname) %(objecttype)", "refs/selfware").stdout
    assert f"refs/selfware/agent/{sha} commit" in refs
    assert f"refs/selfware/task/{sha} blob" in refs
    task = hooked.git("cat-file", "-p", f"refs/selfware/task/{sha}").stdout
    assert task == "Parse ints"
    assert f"v1\tcommit\t{sha}\tclaude\t" in hooked.journal.read_text()
    assert status(hooked)["agents"] == {"claude": 1}


MARKERS = [
    ("aider", {"GIT_AUTHOR_NAME": "Pat Person (aider)"}, "feat: parse"),
    ("aider", {}, "feat: parse\n\nCo-authored-by: aider (gpt-4o) <aider@aider.chat>"),
    ("aider", {}, "aider: parse ints"),
    ("claude", {}, "feat\n\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>"),
    ("claude", {}, "feat\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"),
    (
        "copilot",
        {
            "GIT_AUTHOR_NAME": "copilot-swe-agent[bot]",
            "GIT_AUTHOR_EMAIL": "198982749+Copilot@users.noreply.github.com",
        },
        "Fix",
    ),
    ("devin", {"GIT_AUTHOR_NAME": "devin-ai-integration[bot]"}, "Fix"),
    ("devin", {}, "Fix\n\nGenerated with [Devin](https://devin.ai)"),
    (
        "devin",
        {},
        "Fix\n\nCo-authored-by: Devin AI "
        "<158243242+devin-ai-integration[bot]@users.noreply.github.com>",
    ),
    ("codex", {"GIT_AUTHOR_NAME": "chatgpt-codex-connector[bot]"}, "Fix"),
    ("codex", {}, "Fix\n\nCo-authored-by: Codex <codex@openai.com>"),
    ("cursor", {}, "Fix\n\nCo-authored-by: Cursor <cursoragent@cursor.com>"),
    (
        "cursor",
        {"GIT_AUTHOR_NAME": "Cursor Agent", "GIT_AUTHOR_EMAIL": "cursoragent@cursor.com"},
        "Fix",
    ),
    ("openhands", {}, "Fix\n\nCo-authored-by: openhands <openhands@all-hands.dev>"),
    ("openhands", {}, "Fix\n\nCo-authored-by: OpenHands-Claude <openhands-claude@all-hands.dev>"),
    ("openhands", {}, "Fix\n\nCo-authored-by: OpenHands-GPT-5 openhands@all-hands.dev"),
    (
        "copilot",
        {},
        "Fix\n\nCo-authored-by: copilot-swe-agent[bot] "
        "<198982749+Copilot@users.noreply.github.com>",
    ),
    (
        "gemini",
        {},
        "Fix\n\nCo-authored-by: gemini-cli <218195315+gemini-cli@users.noreply.github.com>",
    ),
    (
        "gemini",
        {
            "GIT_AUTHOR_NAME": "gemini-cli[bot]",
            "GIT_AUTHOR_EMAIL": "218312386+gemini-cli[bot]@users.noreply.github.com",
        },
        "Fix",
    ),
]


@pytest.mark.parametrize(("agent", "extra", "message"), MARKERS)
def test_agent_commit_by_marker(hooked: GitRepo, agent: str, extra: dict, message: str) -> None:
    hooked.commit(message, {"app.py": AGENT_CODE}, env=extra)
    assert status(hooked)["agents"] == {agent: 1}


def test_aider_suffix_on_committer_only_is_the_person(hooked: GitRepo) -> None:
    hooked.commit("edit", {"app.py": AGENT_CODE}, env={"GIT_COMMITTER_NAME": "Pat (aider)"})
    assert status(hooked)["agent_commits"] == 0


def test_user_agent_pattern_from_git_config(hooked: GitRepo) -> None:
    hooked.git("config", "--add", "selfware.agentPattern", r"mybot=^X-Bot:\s*yes")
    hooked.commit("Fix\n\nX-Bot: yes", {"app.py": AGENT_CODE})
    assert status(hooked)["agents"] == {"mybot": 1}


def test_person_amend_is_a_correction_and_pinned(hooked: GitRepo) -> None:
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", task="t")
    hooked.commit("parse, fixed", {"app.py": PERSON_CODE}, amend=True)
    assert status(hooked)["corrections"] == {"amend": 1}
    assert survives_gc(hooked, agent_sha)


def test_agent_amending_itself_is_no_correction(hooked: GitRepo) -> None:
    hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", task="t")
    hooked.commit("parse v2", {"app.py": PERSON_CODE}, agent="claude", amend=True)
    report = status(hooked)
    assert report["corrections"] == {}
    assert report["agent_commits"] == 2


def _rebase(repo: GitRepo, todo_sed: str, upstream: str) -> None:
    repo.git("rebase", "-i", upstream, env={"GIT_SEQUENCE_EDITOR": f"sed -i -e '{todo_sed}'"})


@pytest.mark.parametrize("action", ["fixup", "squash"])
def test_rebase_fixup_and_squash_of_agent_commit(hooked: GitRepo, action: str) -> None:
    base = hooked.head()
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="aider", task="t")
    hooked.commit("fix parse", {"app.py": PERSON_CODE})
    _rebase(hooked, f"2s/^pick/{action}/", base)
    assert hooked.head() != agent_sha
    assert status(hooked)["corrections"] == {"rebase": 1}
    assert survives_gc(hooked, agent_sha)


def test_rebase_drop_of_agent_commit(hooked: GitRepo) -> None:
    base = hooked.head()
    agent_sha = hooked.commit("other", {"other.py": "x = 1\n"}, agent="aider", task="t")
    hooked.commit("mine", {"mine.py": "y = 2\n"})
    _rebase(hooked, "1s/^pick/drop/", base)
    assert status(hooked)["corrections"] == {"rebase": 1}
    assert survives_gc(hooked, agent_sha)


def test_revert_of_agent_commit(hooked: GitRepo) -> None:
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", task="t")
    hooked.git("revert", "--no-edit", agent_sha)
    assert status(hooked)["corrections"] == {"revert": 1}


def test_reset_hard_drops_agent_commit_and_it_survives_gc(hooked: GitRepo) -> None:
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", task="t")
    hooked.git("reset", "-q", "--hard", "HEAD~1")
    assert status(hooked)["corrections"] == {"reset": 1}
    assert survives_gc(hooked, agent_sha)


def test_reset_soft_then_redo(hooked: GitRepo) -> None:
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", task="t")
    hooked.git("reset", "-q", "--soft", "HEAD~1")
    redo = hooked.commit("parse done right", {"app.py": PERSON_CODE})
    assert status(hooked)["corrections"] == {"reset": 1}
    assert survives_gc(hooked, agent_sha)
    assert redo == hooked.head()


def test_cherry_pick_of_agent_commit(hooked: GitRepo) -> None:
    hooked.commit("person moves main on", {"notes.txt": "main moved\n"})
    hooked.git("checkout", "-q", "-b", "agent-work", "HEAD~1")
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="codex", task="t")
    hooked.git("checkout", "-q", "main")
    hooked.git("cherry-pick", agent_sha)
    hooked.git("branch", "-q", "-D", "agent-work")
    assert status(hooked)["corrections"] == {"cherry-pick": 1}
    assert survives_gc(hooked, agent_sha)


def test_disable_records_nothing(hooked: GitRepo) -> None:
    before = hooked.journal_lines()
    hooked.commit("parse", {"app.py": AGENT_CODE}, agent="claude", env={"SELFWARE_DISABLE": "1"})
    assert hooked.journal_lines() == before
    assert "refs/selfware/agent" not in hooked.git("for-each-ref").stdout


def test_deleted_agent_branch_is_pinned_and_a_drop(hooked: GitRepo) -> None:
    hooked.git("checkout", "-q", "-b", "agent-work")
    agent_sha = hooked.commit("parse", {"app.py": AGENT_CODE}, agent="codex", task="t")
    hooked.git("checkout", "-q", "main")
    hooked.git("branch", "-q", "-D", "agent-work")
    assert status(hooked)["corrections"] == {"reset": 1}
    assert survives_gc(hooked, agent_sha)
