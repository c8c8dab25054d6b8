"""Each stored derivation's rule version moves with its output: a change to the terms, the
identity or the figures rule (or to a library they read) that changes what they make of a fixed
sample fails here until the version beside the rule is bumped, so databases re-derive what the
old one stored."""
from __future__ import annotations

import hashlib
import json
from itertools import islice

from monitor.cluster import embed
from monitor.cluster.features import TERMS_RULE, extract, weigh
from monitor.cluster.identity import IDENTITY_RULE, identify
from monitor.rule_version import RuleVersion
from monitor.text.figures import FIGURES_RULE, extract_figures

from tests.conftest import shared_path

# A few words in the scripts and languages the press writes, beside the shared texts (all English).
WRITTEN = [
    ("Ракетний удар по Харкову: троє загиблих", "У Харкові в четвер уранці пролунали вибухи, повідомив Олег Синєгубов.", "uk"),
    ("Российские войска нанесли удар по Харькову", "В Харькове в понедельник погибли 12 человек, сообщил губернатор.", None),
    ("Selenskyj trifft Biden in Washington", "Am Dienstag sprach der ukrainische Präsident über 1.200 Raketen.", "de"),
    ("Atak dronów na Odessę", "W nocy z soboty na niedzielę rosyjskie drony zaatakowały port w Odessie.", "pl"),
    ("Missile strike on Kharkiv, Kharkov's mayor says 27 wounded", "On Thursday, governor Oleh Syniehubov said.", ""),
]
# Number words in the languages the figures read in their own way (cyrillic_numbers.py), for the figures rule.
NUMBER_WORDS = [
    ("Удар по Одесі", "Загинули двоє людей, п'ятеро поранених, повідомили в ОВА. Від двох до п'яти тисяч людей "
     "евакуювали.", "uk"),
    ("Атака на Белгород", "Погибли три человека, ранены пятеро, сообщил губернатор. Десятки домов повреждены.", "ru"),
]


# Read by the identity rule only (the terms digest keeps its sample): who a lead names where its words
# open a live blog's timed line, decline a common word with a capital or credit the writer.
WRITTEN_NAMES = [
    ("Стрічка новин 27 листопада", "14:20 Російські війська вдарили КАБами, повідомив Олег Синєгубов. "
     "Сили оборони збили два дрони, а ППО працювала над містом. Доповідав головнокомандувач ЗСУ Олександр "
     "Сирський.", "uk"),
    ("Обстрел Харьковской области", "Силы ПВО сбили 15 дронов, сообщил глава ОВА Олег Синегубов.", "ru"),
    ("Drones hit Odesa", "By Reuters Staff KYIV (Reuters) - Russia launched 90 UAVs, Governor Oleh Kiper said.", "en"),
    ("Two killed", "WASHINGTON – Two people were killed. ‘We will rebuild,’ Mayor Klitschko said.", "en"),
]


def _sample() -> list[tuple[str, str, str | None]]:
    texts = []
    for path in sorted(shared_path("corpus").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        texts.append((title.strip(), body.strip(), None))
    with shared_path("datasets", "ecbplus-dev", "ecbplus-dev.jsonl").open(encoding="utf-8") as lines:
        for line in islice(lines, 40):
            title, _, body = json.loads(line)["text"].partition("\n")
            texts.append((title, body, None))
    with shared_path("datasets", "googlenews-yin2014", "News-T").open(encoding="utf-8") as lines:
        texts += [(json.loads(line)["textCleaned"], "", None) for line in islice(lines, 40)]
    return texts + WRITTEN


def _digest(outputs: list) -> str:
    return hashlib.sha256(json.dumps(outputs, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def terms_digest() -> str:
    """The terms rule's stored output on the sample: tf, sketch and the weighed vector."""
    features = [extract(title, text, language) for title, text, language in _sample()]
    df: dict[str, int] = {}
    for f in features:
        for t in f.tf:
            df[t] = df.get(t, 0) + 1
    return _digest([[sorted((t, round(w, 6)) for t, w in f.tf.items()), list(f.sketch),
                     sorted((t, round(w, 6)) for t, w in weigh(f.tf, df, len(features)).items())] for f in features])


def identity_digest() -> str:
    """The identity rule's stored output on the sample."""
    return _digest([repr(identify(title, text, language)) for title, text, language in _sample() + WRITTEN_NAMES])


def figures_digest() -> str:
    """The figures rule's stored output on the sample (every column of every figure)."""
    return _digest([[list(vars(f).values()) for f in extract_figures(title, text, language)]
                    for title, text, language in _sample() + NUMBER_WORDS])


def _check(name: str, rule: RuleVersion, digest: str) -> None:
    assert rule.digest == digest, (
        f"the {name} rule's output changed: bump its version (now {rule.version}) and write "
        f"RuleVersion({rule.version + 1}, {digest!r}) beside it, or undo the change")


def test_the_terms_rule_version_follows_its_output():
    _check("terms", TERMS_RULE, terms_digest())


def test_the_identity_rule_version_follows_its_output():
    _check("identity", IDENTITY_RULE, identity_digest())


def test_the_figures_rule_version_follows_its_output():
    _check("figures", FIGURES_RULE, figures_digest())


def test_the_embedding_rule_is_the_model_and_its_cut():
    # The embedding's rule needs no digest: the model file is checked against a pinned sha256 and
    # its id and cut make the rule, as they make the embedding cache's keys.
    assert embed.RULE == f"{embed.MODEL_ID}:{embed.MAX_TOKENS}"
