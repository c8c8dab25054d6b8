"""The event similarity's cluster-level evidence: the event's actors and the embedding's discount."""
from __future__ import annotations

from monitor.cluster import similarity
from monitor.cluster.identity import identify
from monitor.models import ArticleIdentity


def _who(*names: str) -> ArticleIdentity:
    return ArticleIdentity("en", names=tuple((n.lower(), n) for n in names))


def _event(*members: ArticleIdentity) -> similarity.Side:
    side = similarity.Side()
    for member in members:
        side.add(member)
    return side


def _evidence(article: ArticleIdentity, event: similarity.Side, semantic: float = 0.6) -> similarity.Evidence:
    rare = lambda key: 3.0  # noqa: E731 - every name telling: in under 1 in 7 articles
    return similarity.evidence(0.3, semantic, similarity.side_of(article), event, 0.0, 72.0, rare)


def test_the_core_is_the_names_most_members_name_kept_as_members_arrive():
    event = _event(_who("Klitschko", "Rahman"), _who("Klitschko", "Rahman", "Mannheim"), _who("Klitschko", "Lewis"))
    assert event.core == {"klitschko", "rahman"}
    event.add(_who("Klitschko"))  # rahman: 2 of 4 is not most
    assert event.core == {"klitschko"}
    merged = _event(_who("Thompson"), _who("Thompson"))
    merged.absorb(event)
    assert merged.core == {"klitschko"}  # 4 of 6; thompson 2 of 6


def test_an_article_with_another_actor_and_not_the_events_is_evidence_against():
    event = _event(_who("Klitschko", "Rahman"), _who("Klitschko", "Rahman"))
    other_fight = _evidence(_who("Klitschko", "Thompson"), event)
    assert other_fight.values["core_missing"] == 0.5  # rahman of {klitschko, rahman}
    assert other_fight.missing_names == ("rahman",)
    model = similarity.model(True)
    assert "actors not named (rahman) 0.50 -" in similarity.explain(model, other_fight, limit=10)
    same_fight = _evidence(_who("Klitschko", "Rahman", "Boras"), event)
    assert same_fight.values["core_missing"] == 0.0
    # Naming no new actor (only the event's own, or nobody) is no evidence against.
    assert _evidence(_who("Klitschko"), event).values["core_missing"] == 0.0
    assert _evidence(_who(), event).values["core_missing"] == 0.0
    # One member's names are not an event's actors.
    assert _evidence(_who("Klitschko", "Thompson"), _event(_who("Klitschko", "Rahman"))).values["core_missing"] == 0.0
    assert similarity.probability(model, other_fight) < similarity.probability(model, same_fight)


def test_the_headline_embedding_weighs_less_only_against_events_of_three_or_more_texts():
    report = identify("Strike on the port", "Missiles hit the port on Thursday, officials said.", "en")
    small = _event(report, report)
    large = _event(report, report, report)
    assert _evidence(report, small).values["embedding_text"] == 0.0
    assert _evidence(report, large).values["embedding_text"] == 0.6
    headlines = similarity.Side()
    for _ in range(3):
        headlines.add(report, has_text=False)
    bare = similarity.evidence(0.3, 0.6, similarity.side_of(report, has_text=False), headlines, 0.0, 72.0,
                               lambda key: 3.0)
    assert bare.values["embedding_text"] == 0.0  # bare headlines keep their own regime
    model = similarity.model(True)
    assert model.weights["embedding_text"] < 0
    assert similarity.probability(model, _evidence(report, large)) < similarity.probability(model, _evidence(report, small))
