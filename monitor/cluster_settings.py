"""[cluster] settings. One configuration serves ingestion and every evaluation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from monitor.settings_table import table_values

EMBEDDING_MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class ClusterSettings:
    duplicate_threshold: float = 0.90  # rapidfuzz ratio (0..1) above which texts are the same copy
    event_threshold: float = 0.25  # similarity (0..1) above which an article joins an event
    merge_threshold: float = 0.45  # centroid similarity above which two events become one
    window_hours: float = 72.0  # candidate events must have been active within this window
    corpus_link_threshold: float = 0.08  # similarity above which a corpus document is linked
    embedding: str = "auto"  # auto: sentence embeddings when the [embeddings] extra is installed
    embedding_weight: float = 0.5  # share of the embedding cosine in the similarity (rest: TF-IDF)
    lexical_event_threshold: float = 0.20  # event threshold when running on TF-IDF alone
    lexical_merge_threshold: float = 0.40  # merge threshold when running on TF-IDF alone
    join_probability: float = 0.5  # learned same-event probability above which an article joins
    merge_probability: float = 0.982  # the same, for two events to become one (the 0.45 rule at slope 20)
    old_after_days: float = 30.0  # an article this much older than the newest is marked old

    def thresholds(self, embeddings: bool) -> tuple[float, float]:
        """(event, merge) thresholds for the signal in use."""
        if embeddings:
            return self.event_threshold, self.merge_threshold
        return self.lexical_event_threshold, self.lexical_merge_threshold

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ClusterSettings:
        """Validate a [cluster] table; errors are ValueError(message, key)."""
        values = table_values(cls, raw)
        if values.get("embedding", "auto") not in EMBEDDING_MODES:
            raise ValueError(f"expected one of {', '.join(EMBEDDING_MODES)}", "embedding")
        for key in ("embedding_weight", "join_probability", "merge_probability"):
            if values.get(key, 0.5) > 1:
                raise ValueError("must be between 0 and 1", key)
        return cls(**values)
