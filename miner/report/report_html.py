"""The report page: one self-contained HTML file. Charts are matplotlib figures inlined as SVG;
the pair list is data in the page, paginated and filtered by a little plain JavaScript. Nothing
is fetched: it works opened from disk, offline."""

from __future__ import annotations

import difflib
import html
import io
import json
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "selfware", "font.size": 10})
COLORS = {
    "kept": "#4c9f70",
    "amend": "#e0a458",
    "rebase": "#c17c74",
    "fix": "#5b8bd0",
    "revert": "#b5485d",
    "reset": "#7a5c99",
    "cherry-pick": "#8aa1b1",
}


def _svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def bar_chart(title: str, counts: dict[str, int]) -> str:
    figure, axes = plt.subplots(figsize=(5.2, 0.45 * max(len(counts), 2) + 0.8))
    labels = list(counts)[::-1]
    axes.barh(
        [k if k != "." else "(top level)" for k in labels],
        [counts[k] for k in labels],
        color="#5b8bd0",
    )
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if not counts:
        axes.text(0.5, 0.5, "no corrections yet", ha="center", transform=axes.transAxes)
    return _svg(figure)


def survival_chart(survival: dict[str, Any]) -> str:
    periods = list(survival["by_period"])
    figure, axes = plt.subplots(figsize=(10, 3.4))
    bottom = [0] * len(periods)
    for outcome, color in COLORS.items():
        values = [survival["by_period"][p][outcome] for p in periods]
        if any(values):
            axes.bar(periods, values, bottom=bottom, label=outcome, color=color)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(
        f"Agent-written functions by {survival['period']}: what became of them", loc="left"
    )
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if periods:
        axes.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        axes.tick_params(axis="x", labelrotation=45)
    else:
        axes.text(
            0.5, 0.5, "no agent-written functions found", ha="center", transform=axes.transAxes
        )
    return _svg(figure)


def pair_entries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the page's pair list shows of each row, the diff computed here once."""
    entries = []
    for row in rows:
        meta = row["metadata"]
        chosen = row["chosen"]
        diff = (
            "\n".join(
                difflib.unified_diff(
                    row["rejected"].splitlines(),
                    chosen.splitlines(),
                    "rejected (agent)",
                    "chosen (person)",
                    lineterm="",
                )
            )
            if chosen is not None
            else "\n".join("-" + line for line in row["rejected"].splitlines())
        )
        entries.append(
            {
                "task": row["task"],
                "agent": meta["agent"],
                "language": meta["language"],
                "event": meta["event"],
                "repo": meta["repo"],
                "path": meta["path"],
                "function": meta["function"],
                "when": row["timestamp"][:10],
                "diff": diff,
                "paired": chosen is not None,
            }
        )
    return entries


def _cards(figures: dict[str, Any]) -> str:
    survival = figures["survival"]
    share = survival["share_kept"]
    ttc = figures["time_to_correction"]
    cards = [
        ("agent-written functions", str(survival["agent_functions"])),
        ("kept untouched", f"{share:.0%}" if share is not None else "–"),
        ("pairs", str(figures["pairs"])),
        ("unpaired rejections", str(figures["unpaired"])),
        (
            "median time to correction",
            f"{ttc['median_hours']:.1f} h" if ttc["median_hours"] is not None else "–",
        ),
    ]
    evaluation = figures.get("evaluation")
    if evaluation:
        overall = evaluation["overall"]
        base, adapter = (overall[side]["mean_loglik"]["value"] for side in ("base", "adapter"))
        cards.append(
            (
                f"person's version preferred, base → adapter ({overall['pairs']} held-out pairs)",
                f"{base:.0%} → {adapter:.0%}",
            )
        )
    return "".join(
        f'<div class="card"><div class="value">{html.escape(v)}</div>'
        f'<div class="label">{html.escape(k)}</div></div>'
        for k, v in cards
    )


def render(figures: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    corrections = figures["corrections"]
    charts = [
        survival_chart(figures["survival"]),
        bar_chart("Corrections by task", corrections["by_task"]),
        bar_chart("Corrections by agent", corrections["by_agent"]),
        bar_chart("Corrections by language", corrections["by_language"]),
        bar_chart("Corrections by kind of event", corrections["by_event"]),
        bar_chart("Most corrected files", corrections["top_files"]),
        bar_chart("Most corrected folders", corrections["top_directories"]),
        bar_chart("Time from agent commit to correction", figures["time_to_correction"]["buckets"]),
    ]
    data = json.dumps(pair_entries(rows), ensure_ascii=False).replace("</", "<\\/")
    repos = ", ".join(figures["repositories"]) or "no repository"
    return PAGE.format(
        repos=html.escape(repos),
        cards=_cards(figures),
        charts="".join(f'<figure class="chart">{svg}</figure>' for svg in charts),
        data=data,
    )


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>selfware-git report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }}
header {{ padding: 20px 28px; background: #1d2330; color: #fff; }}
header h1 {{ margin: 0 0 4px; font-size: 20px; }}
main {{ padding: 16px 28px 40px; }}
.cards {{ display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }}
.card {{ background: #fff; border-radius: 8px; padding: 12px 16px; min-width: 150px;
        box-shadow: 0 1px 2px rgba(0,0,0,.08); }}
.card .value {{ font-size: 24px; font-weight: 600; }}
.card .label {{ color: #5d6677; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.chart {{ margin: 0; background: #fff; border-radius: 8px; padding: 8px;
         box-shadow: 0 1px 2px rgba(0,0,0,.08); }}
.chart svg {{ max-width: 100%; height: auto; }}
.filters {{ display: flex; gap: 8px; flex-wrap: wrap; margin: 20px 0 8px; align-items: center; }}
table {{ width: 100%; border-collapse: collapse; background: #fff; }}
th, td {{ text-align: left; padding: 6px 8px; border-bottom: 1px solid #e4e7ec; }}
tr.pair {{ cursor: pointer; }} tr.pair:hover {{ background: #eef3fb; }}
pre.diff {{ margin: 0; padding: 8px; background: #fbfbfc; overflow-x: auto; font-size: 12px; }}
.add {{ color: #1f7a3a; }} .del {{ color: #b5485d; }} .hunk {{ color: #5b8bd0; }}
.pager {{ margin-top: 8px; display: flex; gap: 8px; align-items: center; }}
</style></head>
<body>
<header><h1>How the agents' code fares</h1><div>Repositories: {repos}</div></header>
<main>
<section class="cards">{cards}</section>
<section class="charts">{charts}</section>
<h2>Pairs</h2>
<div class="filters">
  <select id="f-task"><option value="">every task</option></select>
  <select id="f-agent"><option value="">every agent</option></select>
  <select id="f-language"><option value="">every language</option></select>
  <select id="f-event"><option value="">every event</option></select>
  <input id="f-text" type="search" placeholder="file or function">
  <span id="count"></span>
</div>
<table><thead><tr><th>date</th><th>event</th><th>task</th><th>agent</th><th>language</th>
<th>file</th><th>function</th></tr></thead><tbody id="pairs"></tbody></table>
<div class="pager"><button id="prev">previous</button><span id="page"></span>
<button id="next">next</button></div>
</main>
<script type="application/json" id="pairs-data">{data}</script>
<script>
"use strict";
const PAGE_SIZE = 50;
const pairs = JSON.parse(document.getElementById("pairs-data").textContent);
const keys = ["task", "agent", "language", "event"];
let shown = pairs, page = 0;
for (const key of keys) {{
  const select = document.getElementById("f-" + key);
  for (const value of [...new Set(pairs.map(p => p[key]))].sort()) {{
    select.add(new Option(value, value));
  }}
  select.addEventListener("change", apply);
}}
document.getElementById("f-text").addEventListener("input", apply);
document.getElementById("prev").addEventListener("click", () => {{ page--; draw(); }});
document.getElementById("next").addEventListener("click", () => {{ page++; draw(); }});
function apply() {{
  const chosen = Object.fromEntries(keys.map(k => [k, document.getElementById("f-" + k).value]));
  const text = document.getElementById("f-text").value.toLowerCase();
  shown = pairs.filter(p => keys.every(k => !chosen[k] || p[k] === chosen[k]) &&
    (!text || (p.path + " " + p.function).toLowerCase().includes(text)));
  page = 0;
  draw();
}}
function cell(row, text) {{ const td = row.insertCell(); td.textContent = text; return td; }}
function diffRow(tbody, after, pair) {{
  const row = document.createElement("tr");
  const td = row.insertCell();
  td.colSpan = 7;
  const pre = document.createElement("pre");
  pre.className = "diff";
  for (const line of pair.diff.split("\\n")) {{
    const span = document.createElement("span");
    span.className = line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" :
      line.startsWith("-") ? "del" : "";
    span.textContent = line + "\\n";
    pre.appendChild(span);
  }}
  td.appendChild(pre);
  after.after(row);
  return row;
}}
function draw() {{
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  page = Math.min(Math.max(page, 0), pages - 1);
  const tbody = document.getElementById("pairs");
  tbody.replaceChildren();
  for (const pair of shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)) {{
    const row = tbody.insertRow();
    row.className = "pair";
    for (const key of ["when", "event", "task", "agent", "language", "path", "function"]) {{
      cell(row, pair[key]);
    }}
    let open = null;
    row.addEventListener("click", () => {{
      if (open) {{ open.remove(); open = null; }} else {{ open = diffRow(tbody, row, pair); }}
    }});
  }}
  document.getElementById("count").textContent = shown.length + " of " + pairs.length + " rows";
  document.getElementById("page").textContent = "page " + (page + 1) + " of " + pages;
}}
apply();
</script>
</body></html>
"""
