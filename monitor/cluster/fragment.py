"""A fragment of a story, not a second story: the size rule of the batch end's consolidation.

The consolidation (consolidate.py) merges two events of bare headlines when their members' pairs
agree (mean pair probability at its bar). Read fusion by fusion on Google News' News-T (main at
3780f38: 81 fusions, 28 of them across gold events), no statistic of the pairs parted right
fusions from wrong ones (mean, median, maximum, the share at the join bar, each side's cohesion:
areas under the curve 0.50-0.63), but the sizes did (0.72): a story's fragment is small beside
its story (two headlines beside thirty), while 16 of the 28 wrong fusions joined two events of
comparable size (the smaller over a third of the larger; 9 of the 53 right ones): two
neighbouring stories told in the same words (Thanksgiving travel and the storm over it), whose
fused sums then draw both stories' later reports. So two events are merged here only when the
larger holds at least TIMES the smaller's members; two comparable events stay apart until the
joins make one of them the story (their fragments keep coming to the consolidation as they grow).

The bar stays where it was (consolidate.BAR, 0.25): with the rule, a lower bar lifted the two
headline sets it was read on and lowered Google News' snippet files, whose longer texts agree more
across neighbouring stories (figures: docs/2026-11-27-clustering-measurements.md).
"""
from __future__ import annotations

from monitor.cluster.vectors import Cluster

TIMES = 2  # the larger event holds at least this many times the smaller's members


def of_story(one: Cluster, other: Cluster) -> bool:
    """Whether the smaller of two events is a fragment of the larger, not a story of its own size."""
    return TIMES * min(one.size, other.size) <= max(one.size, other.size)
