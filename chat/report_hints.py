"""Which reports a question names: "COMEXI", "the 2021 outlook", "Wayne's slides", "Olson".

A question that names a report usually wants that report, so its passages get a soft boost (not a
filter: comparison questions name several reports, and a name can be a false lead). The evidence
is the report metadata itself (id, title, publisher, authors, year); a word shared by every report
carries no weight.
"""

from __future__ import annotations

import math

from indexer.lexical import tokenize
from indexer.models import ReportMeta


class ReportHints:
    def __init__(self, reports: list[ReportMeta]):
        self.report_ids = [r.id for r in reports]
        self._terms = {r.id: set(tokenize(_describe(r))) for r in reports}
        counts: dict[str, int] = {}
        for terms in self._terms.values():
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
        n = len(reports)
        self._weight = {t: math.log(n / c) for t, c in counts.items()} if n > 1 else {}

    def scores(self, question: str) -> dict[str, float]:
        """Per report, 0..1: how strongly the question points at it (relative to the best)."""
        terms = set(tokenize(question))
        raw = {rid: sum(self._weight.get(t, 0.0) for t in terms & self._terms[rid]) for rid in self.report_ids}
        top = max(raw.values(), default=0.0)
        return {rid: s / top for rid, s in raw.items() if s > 0} if top > 0 else {}


def _describe(report: ReportMeta) -> str:
    surnames = " ".join(a.split()[-1] for a in report.authors if a.split())
    return f"{report.id.replace('-', ' ')} {report.title} {report.publisher} {surnames} {report.year or ''}"
