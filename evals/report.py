"""Markdown and self-contained HTML reports of a run, for people rather than programs."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from evals.metrics import DEFINITIONS, HEADLINE
from evals.questions import Question

CHART_METRICS = ["hit@5", "mrr@10", "must_include", "citation_accuracy"]


def _fmt(stat: dict | None) -> str:
    if not stat:
        return "–"
    return f"{stat['mean']:.3f} [{stat['low']:.3f}, {stat['high']:.3f}] (n={stat['n']})"


def failed_questions(questions: list[Question], results: list[dict]) -> list[tuple[Question, dict, list[str]]]:
    """Questions the system got wrong, with the reasons, in question-set order."""
    by_id = {r["id"]: r for r in results}
    out = []
    for q in questions:
        r = by_id.get(q.id, {})
        s = r.get("scores")
        if s is None:
            out.append((q, r, [f"did not run: {r.get('error', 'missing')}"]))
            continue
        reasons = [label for key, label, bad in (
            ("hit@5", "no gold passage in the top 5", lambda v: v == 0),
            ("must_include", "answer misses a must_include string", lambda v: v == 0),
            ("citation_accuracy", "no citation points to gold evidence", lambda v: v == 0),
            ("false_abstention", "abstained on an answerable question", lambda v: v == 1),
            ("abstention", "answered an unanswerable question", lambda v: v == 0),
            ("citation_validity", "a quote is not on its cited page", lambda v: v < 1),
        ) if s.get(key) is not None and bad(s[key])]
        if reasons:
            out.append((q, r, reasons))
    return out


def markdown_report(summary: dict, questions: list[Question], results: list[dict]) -> str:
    p = summary["provenance"]
    overall = summary["overall"]
    lines = [
        "# Evaluation report", "",
        f"- date {p['date']}, commit `{p['git_commit']}`, mode `{p['mode']}`, index `{p['index_hash']}`",
        f"- command: `{p['command']}`",
        f"- {summary['questions']} questions, {summary['scored']} scored, {len(summary['failed'])} failed to run",
        f"- latency p50 {overall['latency_ms']['p50']:.0f} ms, p95 {overall['latency_ms']['p95']:.0f} ms; "
        f"index build {summary['index_build_seconds']:.1f} s" if "latency_ms" in overall else "",
        "", "## Headline (mean, 95% bootstrap interval)", "", "| metric | value | definition |", "| --- | --- | --- |",
    ]
    lines += [f"| {m} | {_fmt(overall.get(m))} | {DEFINITIONS[m]} |" for m in DEFINITIONS if m in overall]
    types = sorted(summary["by_type"])
    lines += ["", "## By question type", "", "| metric | " + " | ".join(types) + " |",
              "| --- |" + " --- |" * len(types)]
    for m in HEADLINE:
        cells = [f"{summary['by_type'][t][m]['mean']:.2f}" if m in summary["by_type"][t] else "–" for t in types]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    failures = failed_questions(questions, results)
    lines += ["", f"## Failed questions ({len(failures)})", ""]
    for q, r, reasons in failures:
        lines.append(f"- **{q.id}** ({q.type}) {q.question} — {'; '.join(reasons)}")
    if summary["failed"]:
        lines += ["", "## Items that did not run", ""] + [f"- {f['id']}: {f['error']}" for f in summary["failed"]]
    return "\n".join(lines) + "\n"


def html_report(summary: dict, questions: list[Question], results: list[dict]) -> str:
    e = html.escape
    overall = summary["overall"]
    p = summary["provenance"]
    rows = "".join(f"<tr><td>{e(m)}</td><td>{e(_fmt(overall.get(m)))}</td><td>{e(DEFINITIONS[m])}</td></tr>"
                   for m in DEFINITIONS if m in overall)
    failures = failed_questions(questions, results)
    failure_rows = "".join(_failure_row(q, r, reasons) for q, r, reasons in failures)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Evaluation report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:14px}}th{{background:#f3f3f3}}
.q{{font-weight:600}}.small{{font-size:12px;color:#444}}img{{max-width:100%}}</style></head><body>
<h1>Evaluation report</h1>
<p class="small">{e(p['date'])} · commit {e(p['git_commit'])} · mode {e(p['mode'])} · index {e(p['index_hash'])}<br>
{e(p['command'])}<br>{summary['questions']} questions, {summary['scored']} scored, {len(summary['failed'])} failed to run</p>
<h2>Headline (mean, 95% bootstrap interval)</h2><table><tr><th>metric</th><th>value</th><th>definition</th></tr>{rows}</table>
<h2>By question type</h2><img alt="metrics by question type" src="data:image/png;base64,{_chart_by_type(summary)}">
<h2>Latency</h2><img alt="latency histogram" src="data:image/png;base64,{_latency_histogram(results)}">
<h2>Failed questions ({len(failures)})</h2>
<table><tr><th>question</th><th>expected</th><th>system answer</th><th>citations and top passages</th></tr>{failure_rows}</table>
</body></html>"""


def _failure_row(q: Question, r: dict, reasons: list[str]) -> str:
    e = html.escape
    gold = "<br>".join(f"<i>{e(ev.doc)}</i> p. {', '.join(map(str, ev.pages))}: “{e(ev.quote)}”" for ev in q.evidence)
    cites = "".join(f"<li>[{c['n']}] {e(c['doc'])} p. {c['page']}: “{e(c['text'])}”</li>" for c in r.get("citations", []))
    top = "".join(f"<li>{e(p['doc'])} p. {p['page']} ({p['score']:.3f}): {e(p['text'][:300])}…</li>"
                  for p in r.get("retrieved", [])[:3])
    return (f"<tr><td><span class='q'>{e(q.id)}</span> ({e(q.type)})<br>{e(q.question)}"
            f"<br><span class='small'>{e('; '.join(reasons))}</span></td>"
            f"<td>{e(q.answer)}<br><span class='small'>must include: {e(', '.join(q.must_include))}</span>"
            f"<br><span class='small'>{gold}</span></td>"
            f"<td>{e(r.get('answer', r.get('error', '')))}</td>"
            f"<td><b>citations</b><ol class='small'>{cites}</ol><b>top passages</b><ul class='small'>{top}</ul></td></tr>")


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _chart_by_type(summary: dict) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    types = sorted(summary["by_type"])
    figure, axis = plt.subplots(figsize=(10, 3.5))
    width = 0.8 / len(CHART_METRICS)
    for i, metric in enumerate(CHART_METRICS):
        values = [summary["by_type"][t].get(metric, {}).get("mean", 0.0) for t in types]
        axis.bar([x + i * width for x in range(len(types))], values, width, label=metric)
    axis.set_xticks([x + 0.4 - width / 2 for x in range(len(types))], types)
    axis.set_ylim(0, 1.05)
    axis.legend(ncol=len(CHART_METRICS), fontsize=8)
    data = _png(figure)
    plt.close(figure)
    return data


def _latency_histogram(results: list[dict]) -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 2.5))
    axis.hist([r["latency_ms"] for r in results if "latency_ms" in r], bins=30)
    axis.set_xlabel("latency (ms)")
    axis.set_ylabel("questions")
    data = _png(figure)
    plt.close(figure)
    return data


def write_reports(out_dir: Path, summary: dict, questions: list[Question], results: list[dict]) -> None:
    (out_dir / "report.md").write_text(markdown_report(summary, questions, results), encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(summary, questions, results), encoding="utf-8")
