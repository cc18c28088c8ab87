"""Task-tag accuracy on hand-tagged real pairs: the confusion matrix of the miner's `task`
against the tag a person gave each pair by reading its diff (labels.jsonl: repository,
commit, path, function, tag, an acceptable second tag where two fit, a one-line note).

Uses the snapshots of ../pair_quality (repos.json, the same folder of bare clones):

    python benchmarks/tags/score.py --mirrors DIR [--rows DIR]

`--rows DIR` reads rows that `pair_quality/score.py --keep-rows DIR` wrote, instead of mining
again; their tags are decided anew by the current rules (the person's message read from the
snapshot), so tag rules can be tried without mining again. Accuracy counts a row right when
its `task` is the tag; `with second` also when it is the acceptable second tag.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pair_quality"))

import pygit2  # noqa: E402
from score import find_mined, key, locate_mirror, mined_rows  # noqa: E402

from selfware_git.miner.tasks import TASK_TAGS, Change, tags_of  # noqa: E402


def current_task(row: dict, repo: pygit2.Repository | None) -> str:
    """The row's main tag under the rules as they are now."""
    meta = row["metadata"]
    message = ""
    if repo is not None and meta.get("chosen_commit"):
        message = repo[meta["chosen_commit"]].message
    change = Change(
        event=meta["event"],
        path=meta["path"],
        function=meta["function"],
        rejected=row["rejected"],
        chosen=row["chosen"],
        task_text=row["prompt"].split("\n\nLanguage: ")[0],
        person_message=message,
        language=meta["language"],
        renamed=meta["function"] != meta.get("chosen_function") and row["chosen"] is not None,
    )
    return tags_of(change)[0]


HERE = Path(__file__).parent
PAIR_QUALITY = HERE.parent / "pair_quality"


def rows_for(name: str, info: dict, mirrors: Path, rows_dir: Path | None) -> list[dict]:
    if rows_dir is not None and (rows_dir / f"{name}.jsonl").exists():
        return [json.loads(line) for line in (rows_dir / f"{name}.jsonl").open()]
    mirror = locate_mirror(mirrors, info["repo"])
    if mirror is None:
        print(f"{name}: no clone of {info['repo']} under {mirrors}", file=sys.stderr)
        return []
    return mined_rows(mirror, None, rows_dir, name)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True)
    parser.add_argument("--rows", type=Path, default=None)
    args = parser.parse_args()
    repos = json.loads((PAIR_QUALITY / "repos.json").read_text())
    labels = [json.loads(line) for line in (HERE / "labels.jsonl").open() if line.strip()]
    by_repo = defaultdict(list)
    for label in labels:
        by_repo[label["repo"]].append(label)
    confusion: Counter = Counter()
    exact = lenient = total = unmatched = 0
    wrong = []
    for name, group in sorted(by_repo.items()):
        rows = rows_for(name, repos[name], args.mirrors, args.rows)
        mirror = locate_mirror(args.mirrors, repos[name]["repo"])
        repo = pygit2.Repository(str(mirror)) if mirror else None
        mined, by_place = {}, defaultdict(list)
        for row in rows:
            meta = row["metadata"]
            mined.setdefault(key(meta["chosen_commit"] or "", meta["path"], meta["function"]), row)
            by_place[(meta["chosen_commit"] or "", meta["path"])].append(row)
        for label in group:
            row = find_mined(label, mined, by_place)
            if row is None:
                unmatched += 1
                continue
            total += 1
            got = current_task(row, repo)
            confusion[(label["tag"], got)] += 1
            exact += got == label["tag"]
            ok = got in (label["tag"], label.get("second"))
            lenient += ok
            if not ok:
                wrong.append((name, label, got))
    tags = [t for t in TASK_TAGS if any(t in pair for pair in confusion)]
    print("rows: labelled tag (down) × miner's task (across)")
    print(f"{'':>15}" + "".join(f"{t[:7]:>8}" for t in tags))
    for truth in tags:
        print(f"{truth:>15}" + "".join(f"{confusion[(truth, got)] or '.':>8}" for got in tags))
    if total:
        print(f"\nexact: {exact}/{total} = {exact / total:.3f}")
        print(f"with second tag: {lenient}/{total} = {lenient / total:.3f}")
    print(f"labels whose pair was not mined: {unmatched}")
    for name, label, got in wrong:
        print(
            f"wrong {name} {label['commit'][:10]} {label['function']}: {got} "
            f"(labelled {label['tag']}/{label.get('second')}): {label['note']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
