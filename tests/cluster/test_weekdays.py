"""The weekdays an article names: read in any of the press's languages, stored with its identity,
and evidence against joining an event that names only days two or more apart."""
from __future__ import annotations

from monitor.cluster import similarity
from monitor.cluster.identity import identify
from monitor.cluster.weekdays import days_named, near
from monitor.models import ArticleIdentity
from monitor.store import write_transaction
from monitor.store.identity import article_identity, save_identities

from .conftest import add_article


def test_weekdays_are_read_in_the_languages_of_the_press_in_the_order_named():
    assert days_named("Strike on Thursday; rescuers worked through Thursday's night and on Saturday") == (3, 5)
    assert days_named("Frappe samedi, le dimanche") == (5, 6)
    assert days_named("Angriff am Montag") == (0,)
    assert days_named("В четверг удар; среда обитания") == (3,)  # "среда" is also "environment": not read
    assert days_named("No day here, just a Sundayish word") == ()


def test_a_day_is_near_itself_and_the_days_beside_it_across_the_week_end():
    assert near(3, 3) and near(3, 4) and near(0, 6)
    assert not near(3, 5) and not near(0, 2)


def test_identity_names_the_days_of_title_and_lead():
    identity = identify("Quake hits southern Iran", "A strong earthquake struck on Sunday, killing three.")
    assert identity.days == (6,)


def _side(*days: tuple[int, ...], has_text: bool = True) -> similarity.Side:
    side = similarity.Side()
    for named in days:
        side.add(ArticleIdentity("en", days=named), has_text)
    return side


def _evidence(article: similarity.Side, event: similarity.Side) -> similarity.Evidence:
    return similarity.evidence(0.3, 0.7, article, event, 0.0, 72.0, lambda _: 3.0)


def test_days_two_or_more_apart_are_evidence_against_and_shown_with_their_part():
    ev = _evidence(_side((3,)), _side((5,), (5, 6)))
    assert ev.values["days_differ"] == 1.0 and ev.values["embedding_days_differ"] == 0.7
    assert ev.days_apart == (3, 5)
    model = similarity.Model(-5.0, {"terms": 10.0, "embedding": 8.0, "days_differ": -0.5, "embedding_days_differ": -2.0})
    assert "days differ Thursday ≠ Saturday -1.90" in similarity.explain(model, ev)
    assert similarity.probability(model, ev) < similarity.probability(model, _evidence(_side((5,)), _side((5,))))


def test_the_same_day_the_day_beside_it_no_day_or_a_bare_headline_is_no_evidence():
    for article, event in [(_side((3,)), _side((5,), (3,))), (_side((3,)), _side((4,))), (_side(()), _side((5,))),
                           (_side((3,), has_text=False), _side((5,)))]:
        ev = _evidence(article, event)
        assert ev.values["days_differ"] == 0.0 and ev.values["embedding_days_differ"] == 0.0 and ev.days_apart is None


def test_the_days_are_stored_and_read_back_with_the_identity(db):
    article_id = add_article(db, "Strike on Kharkiv", "Missiles struck the city on Thursday night.")
    with write_transaction(db):
        save_identities(db, {article_id: identify("Strike on Kharkiv", "Missiles struck the city on Thursday night.")},
                        rule=0)
    assert article_identity(db, [article_id])[article_id].days == (3,)
