"""The embedding runtime (onnxruntime + tokenizers): paid for only by the commands that embed.

Each command runs in a fresh interpreter (as from a shell) and reports which runtime modules
it imported; `monitor import` is the positive control: it embeds, so it must show them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from monitor.cluster import embed, minilm
from tests.conftest import shared_path

RUNTIME = list(minilm.RUNTIME_MODULES)
PROBE = """
import json, sys
from monitor.cli import main
sys.argv = ["monitor", *json.loads(sys.argv[1])]
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
from monitor.cluster import embed
print(json.dumps({"code": code, "runtime": sorted(m for m in RUNTIME if m in sys.modules), "loaded": embed.loaded()}))
""".replace("RUNTIME", repr(RUNTIME))


def _run(args: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    config = tmp_path / "feeds.toml"
    config.write_text('[cluster]\nembedding = "on"\n', encoding="utf-8")
    return {**os.environ, "MONITOR_DB": str(tmp_path / "monitor.db"), "MONITOR_CONFIG": str(config)}


def test_only_commands_that_embed_import_the_runtime(env):
    imported = _run(["import", str(shared_path("corpus"))], env)
    assert imported == {"code": 0, "runtime": RUNTIME, "loaded": True}
    for args in (["stats"], ["stats", "--json"], ["search", "Kharkiv"], ["feeds"],
                 ["poll", "--all"]):  # a poll with nothing new (no feeds) clusters nothing
        assert _run(args, env) == {"code": 0, "runtime": [], "loaded": False}, args


def test_vectors_are_unit_length_and_independent_of_batching():
    short = "Russia strikes Kharkiv power plant"
    texts = [short, "Fed holds interest rates steady as inflation cools across the United States economy",
             "Kharkiv power station hit by Russian missiles", "Apple unveils new iPhone"]
    together = embed.encode(texts)
    assert together.shape == (4, embed.DIMENSIONS) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # Padded beside longer texts or not, a text keeps its vector: the mask keeps padding out of the
    # mean, and the int8 products take one scale per token (one per batch moved it to 0.994).
    alone = embed.encode([short])[0]
    assert float(alone @ together[0]) > 0.9999
    assert float(together[0] @ together[2]) > float(together[0] @ together[3]) + 0.3  # paraphrase vs unrelated
    assert embed.encode([]).shape == (0, embed.DIMENSIONS)


def test_a_model_file_that_fails_its_sha256_is_refused():
    wrong = minilm.ModelFile(minilm.MODEL.package, minilm.MODEL.relative, "0" * 64, minilm.MODEL.distribution)
    assert wrong.path() == minilm.MODEL.path()
    with pytest.raises(ValueError, match="sha256"):
        wrong.verified()
    assert minilm.MODEL.verified().name == "model.onnx"
    missing = minilm.ModelFile("monitor", "no-such-model.onnx", "0" * 64, "nothing")
    with pytest.raises(FileNotFoundError, match="no-such-model.onnx"):
        missing.path()


def test_runs_group_texts_as_encode_runs_them():
    """embed.runs cuts a share of work between processes: each group is one run of the model when
    encoded alone (no extra runs, no extra padding), and the groups hold every text once."""
    from monitor.cluster.evaluate import read_uci, split_title

    items = read_uci(shared_path("datasets", "uci-news-aggregator-prefix", "uci-news-aggregator.dev.csv"))[:300]
    texts = list(dict.fromkeys(split_title(item.text)[0] for item in items))
    groups = embed.runs(texts)
    assert sorted(t for group in groups for t in group) == sorted(texts)
    tokenizer = embed._loaded().tokenizer
    lengths = [len(e.ids) for e in tokenizer.encode_batch(texts)]
    assert len(groups) == len(minilm._runs(lengths)) > 1
    for group in groups:
        assert len(minilm._runs([len(e.ids) for e in tokenizer.encode_batch(group)])) == 1
    flat = [t for group in groups for t in group]
    assert np.array_equal(np.concatenate([embed.encode(group) for group in groups]), embed.encode(flat))
    assert embed.runs([]) == []
