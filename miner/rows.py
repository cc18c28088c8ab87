"""One preference row per outcome, in the format of the original request plus provenance.

Prompt template (documented in the README):

    <the agent's task text>

    Language: <language>
    File: <path>
    Inside:                      (only for functions inside a class, impl, module, …)
      <first line of each enclosing scope, outermost first>
    Write the function `<qualified name>`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .pairs import Outcome
from .redact import redact_texts
from .repository import printable
from .tasks import Change, line_counts, tags_of


@dataclass(frozen=True)
class EventContext:
    """What every row of one correction shares."""

    repo: str
    event: str
    agent: str
    task_text: str
    rejected_commit: str
    chosen_commit: str | None
    corrected_by: str
    person_message: str
    timestamp: int


def build_prompt(task_text: str, language: str, path: str, outcome: Outcome) -> str:
    fn = outcome.rejected
    lines = [task_text.strip() or "(no task text)", "", f"Language: {language}", f"File: {path}"]
    if fn.scopes:
        lines.append("Inside:")
        lines.extend(f"  {header}" for header in fn.scopes)
    lines.append(f"Write the function `{fn.qualname}`.")
    return "\n".join(lines)


def row_id(prompt: str, chosen: str | None, rejected: str) -> str:
    """A stable content hash: the same pair found twice is stored once."""
    payload = json.dumps([prompt, chosen, rejected], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def iso_utc(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_row(
    context: EventContext, path: str, language: str, outcome: Outcome
) -> dict[str, Any] | None:
    """The row, secrets redacted; None where the person's change was only a secret."""
    path = printable(path)
    texts = redact_texts(
        path,
        build_prompt(context.task_text, language, path, outcome),
        outcome.rejected.text,
        outcome.chosen.text if outcome.chosen else None,
    )
    if texts is None:
        return None
    prompt, rejected, chosen = texts
    added, removed = line_counts(rejected, chosen or "")
    tags = tags_of(
        Change(
            event=context.event,
            path=path,
            function=outcome.rejected.qualname,
            rejected=rejected,
            chosen=chosen,
            task_text=context.task_text,
            person_message=context.person_message,
            language=language,
            renamed=outcome.renamed,
        )
    )
    metadata = {
        "id": row_id(prompt, chosen, rejected),
        "repo": context.repo,
        "path": path,
        "language": language,
        "function": outcome.rejected.qualname,
        "chosen_function": outcome.chosen.qualname if outcome.chosen else None,
        "event": context.event,
        "agent": context.agent,
        "rejected_commit": context.rejected_commit,
        "chosen_commit": context.chosen_commit,
        "corrected_by": context.corrected_by,
        "lines_added": added,
        "lines_removed": removed,
        "paired": chosen is not None,
        "tags": tags,
    }
    return {
        "prompt": prompt,
        "chosen": chosen,
        "rejected": rejected,
        "task": tags[0],
        "timestamp": iso_utc(context.timestamp),
        "metadata": metadata,
    }
