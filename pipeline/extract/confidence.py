"""One confidence formula for every candidate event, with named weights per kind of trigger.

    confidence = base + detail * [the pattern needs context words] + source * s + target * t
                 (times ``unreal`` unless the event is a fact; at most 1)

where ``s`` and ``t`` are the strengths of how the source and target resolved (a registry name 1.0, a
title 0.9, a pronoun 0.6, ...: ``mentions.STRENGTH``). A verb with a specific pattern ("impose
sanctions") says more than a bare noun ("sanctions"), hence the weights.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    base: float
    detail: float
    source: float
    target: float
    unreal: float  # factor for intents, threats and refusals


WEIGHTS = {
    "verb": Weights(base=0.4, detail=0.1, source=0.25, target=0.25, unreal=0.85),
    "noun": Weights(base=0.35, detail=0.0, source=0.2, target=0.2, unreal=1.0),
}


def confidence(
    kind: str, pattern_len: int, fact: bool, source_strength: float, target_strength: float
) -> float:
    w = WEIGHTS[kind]
    conf = (
        w.base + w.detail * min(1, pattern_len - 1) + w.source * source_strength + w.target * target_strength
    )
    if not fact:
        conf *= w.unreal
    return round(min(1.0, conf), 3)
