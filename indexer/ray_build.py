"""Distributed indexing on Ray (`python -m indexer build --ray [ADDRESS]`): each new or changed PDF
is read by a Ray task, and the embedding batches run as Ray tasks too; the driver writes the index
(a folder, or PostgreSQL for the replicas).

The batches are the ones a single-process build makes (every missing passage, sorted by length,
cut every batch_size), each task taking a run of consecutive batches: the int8 model scales
activations per batch, so the same batches give the same vectors, wherever they run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer.build import BuildFailed, Encoder, LocalBatches, _read_one
from indexer.models import Chunk
from indexer.pdf_reader import UnreadablePdf
from indexer.settings import IndexSettings
from indexer.token_states import Span

INSTALL = 'pip install -e ".[ray]"'
REPO_ROOT = Path(__file__).resolve().parent.parent
# Passed to the workers: a local cluster's workers import this checkout and share the model cache.
WORKER_ENV = ("QA_MODEL_CACHE", "HF_HUB_OFFLINE")


def read_on_ray(pdfs: list[Path], settings: IndexSettings, max_pages: int, address: str,
                progress: bool) -> dict[Path, tuple[int, list[Chunk]] | UnreadablePdf]:
    """Each PDF's page count and passages (or why it cannot be indexed), one Ray task per file,
    largest first. address: a Ray cluster ("ray://host:10001", "auto"), or "local" to start one on
    this machine's cores."""
    ray = connect(address)
    task = ray.remote(num_cpus=1)(_read_one)
    largest_first = sorted(pdfs, key=lambda p: p.stat().st_size, reverse=True)
    refs = {task.remote(pdf, settings.chunking, max_pages): pdf for pdf in largest_first}
    return {refs[ref]: value for ref, value in _gather(ray, list(refs), "Reading PDFs on Ray", progress)}


class RayBatches:
    """Embedding batches as Ray tasks, a run of consecutive batches per task (a task loads the model
    once, about a second)."""

    def __init__(self, settings: IndexSettings, make_encoder: Callable[[IndexSettings], Encoder]):
        self.settings, self.make_encoder = settings, make_encoder

    def in_context(self, batches: list[list[tuple[str, list[Span]]]]) -> list[tuple[np.ndarray, list]]:
        return self._run("in_context", batches)

    def alone(self, batches: list[list[str]]) -> list[np.ndarray]:
        return self._run("alone", batches)

    def _run(self, kind: str, batches: list) -> list:
        if not batches:
            return []
        ray = connect(None)
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        size = -(-len(batches) // workers)
        runs = [batches[i:i + size] for i in range(0, len(batches), size)]
        task = ray.remote(num_cpus=1)(_embed_run)
        refs = [task.remote(kind, run, self.settings, self.make_encoder) for run in runs]
        done = dict(_gather(ray, refs, "Embedding on Ray", False))
        return [out for ref in refs for out in done[ref]]


def _embed_run(kind: str, batches: list, settings: IndexSettings,
               make_encoder: Callable[[IndexSettings], Encoder]) -> list:
    """On a Ray worker: the outputs of consecutive batches."""
    local = LocalBatches(settings, make_encoder)
    return local.in_context(batches) if kind == "in_context" else local.alone(batches)


def connect(address: str | None):
    """The ray module, connected: to the cluster already joined, else to address ("local": a new
    local Ray on this machine's cores). Raises BuildFailed with what to do."""
    try:
        import ray
    except ImportError:
        raise BuildFailed(f"--ray needs Ray, which is not installed. Install it with: {INSTALL}") from None
    if ray.is_initialized():
        return ray
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))}
    env.update({name: os.environ[name] for name in WORKER_ENV if name in os.environ})
    options = dict(runtime_env={"env_vars": env}, include_dashboard=False, log_to_driver=False)
    try:
        if address in (None, "local"):
            ray.init(num_cpus=os.cpu_count() or 1, **options)
        else:
            ray.init(address=address, **options)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise BuildFailed(f"cannot reach the Ray cluster at {address} ({exc}); start it (ray start --head) "
                          f"or run --ray without an address for a local one") from None
    return ray


def _gather(ray, refs: list, label: str, progress: bool):
    """(ref, result) of each task as it finishes."""
    pending = list(refs)
    with tqdm(total=len(refs), desc=label, unit="task", disable=not progress) as bar:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield done[0], ray.get(done[0])
            bar.update(1)
