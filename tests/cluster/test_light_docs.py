"""Doc.light (cluster/vectors.py): the article as kept after its decision, built field by field.

Built directly rather than by dataclasses.replace (for speed), so a field added to Doc or Features
later must be carried over by hand: this test names the four stripped fields and checks that every
other one, present and future, comes through unchanged.
"""
from __future__ import annotations

from dataclasses import fields

import numpy as np

from monitor.cluster.engine import Engine
from monitor.cluster.features import extract

from .conftest import LEXICAL

STRIPPED = {"tf": {}, "embed_text": "", "match": "", "forms": {}}


def test_light_keeps_every_field_but_the_texts_and_raw_counts():
    engine = Engine(LEXICAL, text_of=lambda _: "")
    features = extract("Harbour bridge in Kyiv closed after cracks found on Monday",
                       "Engineers said on Monday the bridge in Kyiv stays closed for 12 weeks.")
    engine.count(features)
    doc = engine.prepare(7, "event", 1234.5, features, np.ones(4, dtype=np.float32), counted=True, old=True)
    light = doc.light()
    for f in fields(doc):
        if f.name != "features":
            assert getattr(light, f.name) is getattr(doc, f.name), f.name
    for f in fields(features):
        expected = STRIPPED[f.name] if f.name in STRIPPED else getattr(features, f.name)
        assert getattr(light.features, f.name) == expected, f.name
    assert all(getattr(features, name) for name in STRIPPED)  # each stripped field had something to strip
    assert features.identity.places and features.identity.numbers  # and the kept identity is a real one
    assert light.light() is light  # a light doc is returned as it is
