"""`build --ray`: PDFs read and embedded as tasks on a real local Ray, written to a real PostgreSQL,
give the index a single-process build gives."""

import os

import numpy as np
import pytest

from indexer import load_index
from indexer.build import build_index
from indexer.cli import make_encoder
from indexer.ray_build import REPO_ROOT
from indexer.settings import IndexSettings

ray = pytest.importorskip("ray", reason='needs the ray extra: pip install -e ".[ray]"')


@pytest.fixture(scope="module")
def local_ray():
    """A real local Ray of 2 CPUs; the build uses the cluster it finds joined."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(REPO_ROOT), "QA_MODEL_CACHE": os.environ["QA_MODEL_CACHE"]}})
    yield
    ray.shutdown()


def test_ray_build_into_postgres_equals_the_single_process_build(small_corpus, tmp_path, postgres_url, local_ray):
    settings = IndexSettings(batch_size=2)  # several batches, so both workers embed
    build_index(small_corpus, tmp_path / "index", settings, make_encoder, progress=False)
    report = build_index(small_corpus, postgres_url, settings, make_encoder, progress=False, ray="local")
    single, distributed = load_index(tmp_path / "index"), load_index(postgres_url)

    assert report.files == 2 and report.embedded_texts > 0
    assert [c.model_dump() for c in distributed.chunks] == [c.model_dump() for c in single.chunks]
    assert distributed.manifest.content_hash == single.manifest.content_hash
    for ours, theirs in zip(single.all_vectors(), distributed.all_vectors()):
        assert ours.shape == theirs.shape
        # the same batches on Ray as in one process: equal up to int8 rounding (and float32 in Postgres)
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_ray_rebuild_of_an_unchanged_corpus_embeds_nothing(small_corpus, postgres_url, local_ray):
    build_index(small_corpus, postgres_url, IndexSettings(), make_encoder, progress=False, ray="local")
    again = build_index(small_corpus, postgres_url, IndexSettings(), make_encoder, progress=False, ray="local")
    assert again.reused_files == 2 and again.embedded_texts == 0
