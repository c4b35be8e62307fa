"""Per-question scores and their aggregation with bootstrap intervals.

Every metric is defined on one question and is None where it does not apply (retrieval metrics on
unanswerable questions, say); aggregates are means over the questions where it applies.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from chat.support import SUPPORTED, cited_claims, support
from evals.matching import holds_quote, words_on_page
from evals.questions import Question

KS = (1, 3, 5, 10)

# Metric name -> what it means; the report prints these definitions.
DEFINITIONS = {
    **{f"hit@{k}": f"a passage holding a gold quote is among the top {k} retrieved" for k in KS},
    **{f"recall@{k}": f"share of the gold quotes found in the top {k} passages" for k in KS},
    "mrr@10": "1 / rank of the first passage holding a gold quote (0 beyond 10)",
    "ndcg@10": "nDCG@10 with binary gains for passages holding a gold quote",
    **{f"page_hit@{k}": f"a top-{k} passage starts or ends on a gold page of the gold report" for k in KS},
    "page_mrr@10": "1 / rank of the first passage on a gold page",
    "must_include": "every must_include string appears in the answer (case-insensitive); answerable only",
    "citation_accuracy": "some citation points to a gold page or quotes a gold passage; answerable only",
    "citation_validity": "share of citations whose quoted words stand on the cited PDF page(s)",
    "groundedness": (f"share of answer sentences with at least {SUPPORTED:.0%} of their content words "
                     "in the quotes they cite"),
    "abstention": "abstained, on unanswerable questions",
    "false_abstention": "abstained, on answerable questions",
    "latency_ms": "wall time for the whole answer",
}
HEADLINE = ["hit@5", "mrr@10", "ndcg@10", "page_hit@5", "must_include", "citation_accuracy",
            "citation_validity", "groundedness", "abstention", "false_abstention"]
LOWER_IS_BETTER = {"false_abstention", "latency_ms"}


def score_question(q: Question, result: dict, page_texts: Callable[[str], list[str]]) -> dict[str, float | None]:
    """All metrics of one answered question (result: one line of results.jsonl)."""
    scores: dict[str, float | None] = dict.fromkeys(DEFINITIONS)
    scores["latency_ms"] = result["latency_ms"]
    citations = result["citations"]
    if citations:
        scores["citation_validity"] = float(np.mean([_valid(c, page_texts) for c in citations]))
        scores["groundedness"] = groundedness(result["answer"], citations)
    if not q.answerable:
        scores["abstention"] = float(result["abstained"])
        return scores
    scores["false_abstention"] = float(result["abstained"])
    retrieved = result["retrieved"][:10]
    scores.update(retrieval_scores(q, retrieved))
    scores.update({k: v for k, v in _ranking_scores(q, retrieved, _on_gold_page, prefix="page_").items()
                   if k.startswith("page_hit") or k == "page_mrr@10"})
    answer = result["answer"].lower()
    scores["must_include"] = float(all(s.lower() in answer for s in q.must_include)) if q.must_include else None
    scores["citation_accuracy"] = float(any(_holds_gold(c, e) or _on_gold_page(c, e)
                                            for c in citations for e in q.evidence))
    return scores


def retrieval_scores(q: Question, retrieved: list[dict]) -> dict[str, float]:
    """hit@k, recall@k, MRR and nDCG of a ranking of passages ({"doc", "text"}) against the gold quotes."""
    return _ranking_scores(q, retrieved, _holds_gold, prefix="")


def _holds_gold(passage: dict, evidence) -> bool:
    return passage["doc"] == evidence.doc and holds_quote(evidence.quote, passage["text"])


def _on_gold_page(passage: dict, evidence) -> bool:
    first, last = passage["page"], passage.get("page_end") or passage["page"]
    return passage["doc"] == evidence.doc and any(first <= p <= last for p in evidence.pages)


def _ranking_scores(q: Question, retrieved: list[dict], relevant, prefix: str) -> dict[str, float]:
    found = [[i for i, p in enumerate(retrieved) if relevant(p, e)] for e in q.evidence]
    relevant_ranks = sorted({i for ranks in found for i in ranks})
    first = relevant_ranks[0] if relevant_ranks else None
    out: dict[str, float] = {}
    for k in KS:
        out[f"{prefix}hit@{k}"] = float(first is not None and first < k)
        out[f"{prefix}recall@{k}"] = float(np.mean([any(i < k for i in ranks) for ranks in found]))
    out[f"{prefix}mrr@10"] = 1.0 / (first + 1) if first is not None else 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i in relevant_ranks)
    # Overlapping passages can each hold the same quote, so there may be more relevant passages than
    # gold quotes; the ideal ranking has all of them first (else nDCG could pass 1).
    relevant_count = min(max(len(q.evidence), len(relevant_ranks)), 10)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(relevant_count))
    out[f"{prefix}ndcg@10"] = dcg / ideal if ideal else 0.0
    return out


def _valid(citation: dict, page_texts: Callable[[str], list[str]]) -> bool:
    pages = page_texts(citation["doc"])
    first, last = citation["page"], citation.get("page_end") or citation["page"]
    return 1 <= first <= last <= len(pages) and words_on_page(citation["text"], " ".join(pages[first - 1:last]))


def groundedness(answer: str, citations: list[dict]) -> float | None:
    """Share of cited answer claims whose content words stand in the quotes they cite."""
    quotes = {c["n"]: c["text"] for c in citations}
    verdicts = []
    for claim, markers in cited_claims(answer):
        share = support(claim, " ".join(quotes.get(n, "") for n in markers)) if markers else None
        if share is not None:
            verdicts.append(share >= SUPPORTED)
    return float(np.mean(verdicts)) if verdicts else None


def bootstrap_interval(values: list[float], rounds: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (math.nan, math.nan)
    data = np.asarray(values, dtype=float)
    means = np.random.default_rng(seed).choice(data, size=(rounds, len(data))).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def aggregate(per_question: list[dict[str, float | None]]) -> dict[str, dict]:
    """Mean, 95% interval and count of every metric, over the questions where it applies."""
    out: dict[str, dict] = {}
    for name in DEFINITIONS:
        values = [s[name] for s in per_question if s.get(name) is not None]
        if not values:
            continue
        low, high = bootstrap_interval(values)
        out[name] = {"mean": float(np.mean(values)), "low": low, "high": high, "n": len(values)}
    latencies = [s["latency_ms"] for s in per_question if s.get("latency_ms") is not None]
    if latencies:
        out["latency_ms"].update(p50=float(np.percentile(latencies, 50)), p95=float(np.percentile(latencies, 95)))
    return out
