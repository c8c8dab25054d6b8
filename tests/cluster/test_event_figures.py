"""An event's own figures (the numbers most of its members name): two events whose figures differ
are two events of one kind (the Colts' 20-13 win over the Chiefs, their 31-24 one over the
Jaguars) and never merge, however alike their words; an article's numbers alone decide nothing."""
from __future__ import annotations

from monitor.cluster import similarity
from monitor.cluster.engine import Engine
from monitor.cluster.features import extract
from monitor.cluster.vectors import Cluster
from monitor.cluster_settings import ClusterSettings
from monitor.models import ArticleIdentity

CHIEFS = ("Colts beat Chiefs 20 - 13 to clinch a playoff berth",
          "The Indianapolis Colts beat the Kansas City Chiefs 20 - 13 on Sunday and clinched a playoff berth, "
          "with the rookie quarterback leading a fourth quarter drive at Arrowhead Stadium.")
JAGUARS = ("Colts beat Jaguars 31 - 24 to clinch a playoff berth",
           "The Indianapolis Colts beat the Jacksonville Jaguars 31 - 24 on Sunday and clinched a playoff berth, "
           "with the veteran quarterback leading a fourth quarter drive at the stadium.")


def _numbers(*numbers: str) -> ArticleIdentity:
    return ArticleIdentity("en", numbers=numbers)


def _event(*members: ArticleIdentity) -> similarity.Side:
    side = similarity.Side()
    for member in members:
        side.add(member)
    return side


def _apart(article: similarity.Side, event: similarity.Side) -> tuple[str, str] | None:
    return similarity.evidence(0.5, 0.8, article, event, 0.0, 72.0, lambda key: 3.0).figures_apart


def test_an_events_figures_are_the_numbers_most_members_name_kept_as_members_arrive():
    event = _event(_numbers("20", "13"), _numbers("20", "13", "352"), _numbers("20", "10"))
    assert event.figures == {"20", "13"}
    event.add(_numbers("27"))  # 13: 2 of 4 is not most
    assert event.figures == {"20"}
    other = _event(_numbers("31", "24"))
    other.absorb(event)
    assert other.figures == {"20"}  # 3 of 5; 31 and 24 1 of 5
    assert similarity.side_of(_numbers("45", "60")).figures == {"45", "60"}  # one article: all its numbers


def test_two_events_with_other_figures_differ_and_one_article_against_an_event_never():
    chiefs = _event(_numbers("20", "13"), _numbers("20", "13", "352"))
    jaguars = _event(_numbers("31", "24"), _numbers("31", "24", "17"))
    assert _apart(jaguars, chiefs) == ("24", "13")
    assert _apart(_event(_numbers("20", "13"), _numbers("20", "13")), chiefs) is None  # the same score
    assert _apart(_event(_numbers("31", "20"), _numbers("31", "20")), chiefs) is None  # one figure shared
    assert _apart(_event(ArticleIdentity("en"), ArticleIdentity("en")), chiefs) is None  # no figures: no evidence
    # An article (or a one-article event) is not an event's word on its figures: pairs and joins
    # are left to the fitted evidence ("60 ≠ 45" frames per second split a story group).
    assert _apart(similarity.side_of(_numbers("31", "24")), chiefs) is None
    assert _apart(jaguars, _event(_numbers("20", "13"))) is None


def _event_of(engine: Engine, first_id: int, story: tuple[str, str], count: int) -> Cluster:
    cluster = Cluster(id=engine.next_cluster_id)
    engine.add_cluster(cluster)
    for n in range(count):
        features = extract(*story)
        engine.count(features)
        engine.add_member(cluster, engine.prepare(first_id + n, "event", float(n), features, counted=True))
    return cluster


def test_events_whose_figures_differ_do_not_merge_however_alike_their_words():
    for other, merges in ((JAGUARS, False), (CHIEFS, True)):
        engine = Engine(ClusterSettings(embedding="off"), text_of=lambda _: "")
        for n in range(20):  # a few unrelated stories, so the game's words are telling
            engine.count(extract(f"Council {n} votes on budget {n}", f"The council of town {n} passed its budget."))
        chiefs = _event_of(engine, 100, CHIEFS, 3)
        theirs = _event_of(engine, 200, other, 3)
        side = theirs.side
        lexical = sum(w * chiefs.vec.get(t, 0.0) for t, w in theirs.vec.items()) / (chiefs.norm * theirs.norm)
        p, ev = engine.judge(side, 3.0, chiefs, lexical, None)
        assert p >= engine.settings.merge_probability  # the words alone would merge them
        assert (ev.figures_apart is None) is merges
        merged = engine._merge_neighbours(theirs, 3.0)
        assert bool(merged) is merges
        assert len(engine.clusters) == (1 if merges else 2)
