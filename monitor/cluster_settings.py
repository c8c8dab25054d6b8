"""[cluster] settings. One configuration serves ingestion and every evaluation."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping


@dataclass(frozen=True)
class ClusterSettings:
    duplicate_threshold: float = 0.90  # rapidfuzz ratio (0..1) above which texts are the same copy
    event_threshold: float = 0.30  # similarity (0..1) above which an article joins an event
    window_hours: float = 72.0  # candidate events must have been active within this window
    corpus_link_threshold: float = 0.15  # similarity above which a corpus document is linked

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> "ClusterSettings":
        """Validate a [cluster] table; errors are ValueError(message, key)."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise ValueError(f"unknown key (expected one of: {', '.join(sorted(known))})", key)
            default = getattr(cls, key)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"expected true or false, got {value!r}", key)
            elif isinstance(default, (int, float)):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise ValueError(f"expected a number, got {value!r}", key)
                if value < 0:
                    raise ValueError("must not be negative", key)
                value = type(default)(value)
            elif isinstance(default, str) and not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}", key)
            values[key] = value
        return cls(**values)
