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

Measured in the product (default settings, against main at 3780f38: UCI B³ F1 0.8831, News-T NMI
0.9288): the smaller at most half the larger, UCI 0.8833, News-T 0.9294 (B³ F1 0.8483 -> 0.8520,
P 0.8466 -> 0.8582); a third, 0.8832 / 0.9294; a quarter, 0.8796 / 0.9292. ECB+ and SemEval do
not reach the consolidation (bodies; pairs). With the wrong fusions of comparable events gone, a
lower bar came toward where average linkage over the same pair probability peaks offline on both
headline sets (mean p 0.17-0.18, `scripts/offline_bound.py --product`): with the rule, bar 0.20
UCI 0.8858 / News-T 0.9308, 0.175 0.8917 / 0.9307, 0.15 0.8925 / 0.9313, 0.10 0.8645 / 0.9211.
The bar stays at 0.25: Google News' other files, the same 152 stories as titles in their first
order (T), as snippets (S) and as both (TS), scored NMI T / S / TS 0.9218 / 0.9253 / 0.9478 before
the rule, 0.9243 / 0.9264 / 0.9521 with it at 0.25, but 0.9257 / 0.9201 / 0.9371 at 0.20 and S
0.9237 at 0.225 (News-T 0.9303): longer texts agree more across stories, and a lower bar fuses them.
"""
from __future__ import annotations

from monitor.cluster.vectors import Cluster

TIMES = 2  # the larger event holds at least this many times the smaller's members


def of_story(one: Cluster, other: Cluster) -> bool:
    """Whether the smaller of two events is a fragment of the larger, not a story of its own size."""
    return TIMES * min(one.size, other.size) <= max(one.size, other.size)
