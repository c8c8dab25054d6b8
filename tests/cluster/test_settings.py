"""[cluster] settings: validated like the rest of feeds.toml, one set for both signals."""
from __future__ import annotations

import pytest

from monitor.cluster.embed import embedder_for
from monitor.cluster_settings import ClusterSettings
from monitor.config import ConfigError, parse_config


def test_cluster_table_is_validated(tmp_path):
    config = parse_config('[cluster]\nevent_threshold = 0.3\nembedding = "off"\n', tmp_path / "f.toml")
    assert config.cluster.event_threshold == 0.3 and config.cluster.thresholds(False) == (0.2, 0.4)
    with pytest.raises(ConfigError, match="embedding"):
        parse_config('[cluster]\nembedding = "maybe"\n', tmp_path / "f.toml")
    with pytest.raises(ConfigError, match="embedding_weight"):
        parse_config("[cluster]\nembedding_weight = 2\n", tmp_path / "f.toml")


def test_environment_turns_auto_off_but_not_on(monkeypatch):
    monkeypatch.setenv("MONITOR_EMBEDDING", "off")
    assert embedder_for(ClusterSettings(embedding="auto")) is None
    assert embedder_for(ClusterSettings(embedding="off")) is None
    assert embedder_for(ClusterSettings(embedding="on")) is not None  # the extra is installed with [test]
