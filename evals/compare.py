"""Compare two runs question by question: differences and whether they stand out from the noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evals.metrics import DEFINITIONS, LOWER_IS_BETTER, bootstrap_interval


@dataclass
class MetricChange:
    metric: str
    a: float
    b: float
    low: float
    high: float
    n: int

    @property
    def difference(self) -> float:
        return self.b - self.a

    @property
    def outside_noise(self) -> bool:
        """The paired 95% bootstrap interval of the difference excludes zero."""
        return self.low > 0 or self.high < 0

    @property
    def verdict(self) -> str:
        if not self.outside_noise:
            return "within noise"
        better = (self.difference < 0) if self.metric in LOWER_IS_BETTER else (self.difference > 0)
        return "better" if better else "worse"


def compare(results_a: list[dict], results_b: list[dict]) -> list[MetricChange]:
    """Paired over the questions both runs scored, metric by metric."""
    a = {r["id"]: r["scores"] for r in results_a if "scores" in r}
    b = {r["id"]: r["scores"] for r in results_b if "scores" in r}
    common = sorted(a.keys() & b.keys())
    changes = []
    for metric in DEFINITIONS:
        pairs = [(a[i][metric], b[i][metric]) for i in common
                 if a[i].get(metric) is not None and b[i].get(metric) is not None]
        if not pairs:
            continue
        left, right = np.array(pairs, dtype=float).T
        low, high = bootstrap_interval(list(right - left))
        changes.append(MetricChange(metric, float(left.mean()), float(right.mean()), low, high, len(pairs)))
    return changes
