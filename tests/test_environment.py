"""The tests run in an environment of their own: not the developer's LLM settings or model cache."""

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = ("import json, os; print(json.dumps({k: v for k, v in os.environ.items() "
         "if k.startswith('CHAT_LLM_') or k == 'QA_MODEL_CACHE'}))")


def test_commands_started_by_tests_see_no_llm_settings_and_a_temporary_model_cache(tmp_path_factory):
    seen = json.loads(subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                                     check=True).stdout)
    assert [name for name in seen if name.startswith("CHAT_LLM_")] == []
    expected = os.environ.get("TEST_MODEL_CACHE")
    cache = Path(seen["QA_MODEL_CACHE"])
    assert cache == Path(expected) if expected else cache.is_relative_to(tmp_path_factory.getbasetemp())
