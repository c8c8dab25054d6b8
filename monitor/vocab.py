"""The closed vocabularies stored in the database and passed between stages.

Literal types, so the values stay the plain strings the database, JSON output and feeds.toml
hold, while a checker sees a misspelt one. The schema's CHECK constraints and comments say the same.
"""
from __future__ import annotations

from typing import Literal, get_args

Origin = Literal["feed", "corpus"]
ClusterKind = Literal["event", "corpus"]
# How an article's text was obtained: its page, the feed's full content, the feed's summary.
ExtractionStatus = Literal["none", "page", "feed_content", "summary", "failed"]
AssignmentMethod = Literal["auto", "analyst"]  # analyst: a correction, never moved automatically
TriageStatus = Literal["new", "read", "dismissed"]
TargetKind = Literal["article", "cluster"]  # what a triage action acts on
PollOutcome = Literal["ok", "partial", "not_modified", "not_feed", "failed"]  # one feed in one poll
RunStatus = Literal["running", "ok", "partial", "failed", "killed"]  # one poll run
PlaceKind = Literal["city", "country"]  # a place resolved through the gazetteer (GeoNames)

TRIAGE_STATUSES: tuple[TriageStatus, ...] = get_args(TriageStatus)
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)
