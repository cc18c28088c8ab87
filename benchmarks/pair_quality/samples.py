"""Hand-read samples of mined rows, re-scored under today's rules: of each sample, how many
rows `mine` still writes, the share of those that are corrections of the agent's code, and
what the rules now drop, by label.

The samples (samples/*.jsonl) are rows that `mine` wrote on public repositories, each read by
hand (person's diff, the agent's diff, blame) and labelled `correction`, `mechanical`,
`growth`, `other_lines` or `other` with a one-line note; samples.json names each repository,
its snapshot HEAD and what each sample drew (a fresh random sample of later-fix pairs, or the
rows a new rule drops). Unlike labels/, a sample holds only rows that were mined, so it
measures the share of corrections among what `mine` writes (and what a rule change costs),
not recall. Fetch the repositories as for score.py, then:

    python benchmarks/pair_quality/samples.py --mirrors DIR [--only NAME] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from score import find_mined, index_rows, locate_mirror, mined_rows, read_jsonl

HERE = Path(__file__).parent / "samples"


def rescore(name: str, mirror: Path) -> dict[str, dict[str, Counter]]:
    """Per sample id: labels of the rows still mined (`kept`) and of those dropped."""
    rows, _report = mined_rows(mirror, None, None, name)
    mined, by_place = index_rows(rows)
    found: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"kept": Counter(), "dropped": Counter()}
    )
    for label in read_jsonl(HERE / f"{name}.jsonl"):
        side = "kept" if find_mined(label, mined, by_place) is not None else "dropped"
        found[label["sample"]][side][label["label"]] += 1
    return found


def share(kept: Counter) -> str:
    total = sum(kept.values())
    return f"{kept['correction']}/{total} = {kept['correction'] / total:.2f}" if total else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of bare clones")
    parser.add_argument("--only", action="append", default=[], help="repository name")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    meta = json.loads((HERE / "samples.json").read_text())
    totals: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"kept": Counter(), "dropped": Counter()}
    )
    per_repo = {}
    for name, info in sorted(meta["repositories"].items()):
        if args.only and name not in args.only:
            continue
        mirror = locate_mirror(args.mirrors, info["repo"])
        if mirror is None:
            print(f"{name}: no clone of {info['repo']} under {args.mirrors}", file=sys.stderr)
            continue
        per_repo[name] = rescore(name, mirror)
        for sample, sides in per_repo[name].items():
            for side, counter in sides.items():
                totals[sample][side].update(counter)
    if args.json:
        as_dicts = {
            name: {s: {k: dict(v) for k, v in sides.items()} for s, sides in found.items()}
            for name, found in per_repo.items()
        }
        print(json.dumps({"repositories": as_dicts}, indent=2))
        return 0
    for sample in sorted(totals):
        print(f"{sample}: {meta['samples'].get(sample, '')}")
        for name, found in per_repo.items():
            if sample in found:
                kept, dropped = found[sample]["kept"], found[sample]["dropped"]
                print(
                    f"  {name:<24} corrections among kept {share(kept):<14} dropped {dict(dropped)}"
                )
        kept, dropped = totals[sample]["kept"], totals[sample]["dropped"]
        print(f"  {'all':<24} corrections among kept {share(kept):<14} dropped {dict(dropped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
