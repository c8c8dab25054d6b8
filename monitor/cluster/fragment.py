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

A fragment far smaller than its story is merged at a lower bar (SMALL_BAR, against
consolidate.BAR): a story told in tens of headlines is a topic whose members' pairs mostly score
low, so a small fragment's mean against the story's newest members stays low even when it
belongs there. Read off the candidates the consolidation weighed (UCI, News-T and Google News'
snippet files S and TS, right against wrong by gold): between mean p 0.20 and 0.25, fragments
under a tenth of the larger event were mostly right on UCI, News-T and S (wrong on TS), larger
ones wrong or even on all four; under 0.20 small fragments were mostly wrong on S and TS. In the
product a fragment ten times smaller lowered TS; twenty times smaller lowered none of the five
headline files; 0.20 for every pair lowered S and TS.
(Figures: docs/2026-11-27-clustering-measurements.md.)
"""
from __future__ import annotations

from monitor.cluster.vectors import Cluster

TIMES = 2  # the larger event holds at least this many times the smaller's members
SMALL = 20  # ... and at least this many times for the smaller to be weighed at SMALL_BAR
SMALL_BAR = 0.20  # mean pair probability a small fragment needs (others: consolidate.BAR)


def bar(one: Cluster, other: Cluster, usual: float) -> float | None:
    """The mean pair probability at which the smaller of two events is merged into the larger as its
    fragment: `usual`, SMALL_BAR for a fragment SMALL times smaller, None for two events of
    comparable size (stories of their own)."""
    small, large = sorted((one.size, other.size))
    if TIMES * small > large:
        return None
    return min(usual, SMALL_BAR) if SMALL * small <= large else usual
