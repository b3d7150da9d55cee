"""Confidence as the chance that an answer is right: a small logistic model over how the answer was found.

The retrieval confidence (`answers.confidence_of`: how strongly, how completely and how clearly the best section
matched) orders answers, but other things we know about a question predict a wrong answer too: a long message that
tells its story matches many sections a little; an acronym spelt out is nearly always right; a list or a comparison
needs more than one good sentence. The model weighs these together. It was fitted on the persona tuning sets
(tuning, dev and dev4, which are read question by question) and is refitted, printing the constants below, with

    python -m tests.knowledge.fit_calibration

Measured on 2026-12-06, last refitted after the content of that night (AUROC of the reported confidence, correct
answers against wrong and out-of-scope ones, before -> after): the blind sets, never fitted on, dev2 0.902 -> 0.932,
dev3 0.936 -> 0.940, dev5 0.888 -> 0.903, held-out 0.822 -> 0.850; the tuning sets it was fitted on, tuning 0.897 ->
0.924, dev 0.906 -> 0.956, dev4 0.877 -> 0.898. Refitted on 2026-12-06 (late), after the analysis and decline changes
of that session had moved the held-out figure to 0.849: blind sets dev2 0.936 -> 0.939, dev3 0.936 -> 0.937, dev5
0.904 -> 0.903, held-out 0.849 -> 0.851. (A feature for the share of the question one sentence of the best section
holds was tried then: alone it separates right from wrong answers (AUROC 0.69-0.74 on the tuning sets), but beside the
others it added nothing: held-out 0.852, dev3 0.935, dev5 0.901.)

An answer below `answers.SURE_CHANCE` says it is not sure. What is declined, and whether an answer follows
safeguarding support, are still decided on the retrieval confidence (`Answer.retrieval_confidence`), as chosen on the
tuning sets and the safeguarding tables.
"""

from __future__ import annotations

import math

from knowledge.index import SearchResult, content_hits, is_out_of_scope
from knowledge.questions import Asked

FEATURES = (
    "retrieval confidence",
    "share of the question the best section holds",
    "margin over the runner-up",
    "strength of the best match",
    "log of the number of question terms",
    "share of question terms the index does not know",
    "best out-of-scope profile over best section",
    "acronym question",
    "list question",
    "comparison",
    "names a section title",
)
# Fitted by tests/knowledge/fit_calibration.py on the persona tuning sets (378 answered questions, 308 right).
MEAN = (0.5521, 0.6839, 0.2421, 0.9548, 2.1388, 0.0367, 0.0238, 0.0979, 0.1217, 0.1190, 0.7989)
SPREAD = (0.1917, 0.2285, 0.1774, 0.0464, 0.3923, 0.0668, 0.1171, 0.2972, 0.3269, 0.3238, 0.4008)
# WEIGHTS has one weight per feature, in the order of FEATURES
BIAS = 2.0641
WEIGHTS = (0.4081, -0.2091, 0.4539, 0.2971, -0.8811, 0.0987, -0.0803, 0.8431, -0.1726, -0.1317, 0.2320)


def features(confidence: float, result: SearchResult, asked: Asked) -> tuple[float, ...] | None:
    """The model's inputs for an answer with this retrieval `confidence`; None when no section matched."""
    hits = content_hits(result)
    if not hits or hits[0].score <= 0:
        return None
    top = hits[0].score
    second = hits[1].score if len(hits) > 1 else 0.0
    profile = max((hit.score for hit in result.hits if is_out_of_scope(hit)), default=0.0)
    terms = len(result.query_terms)
    return (
        confidence,
        result.matched_share,
        (top - second) / top,
        1.0 - math.exp(-top / 3.0),
        math.log(1 + terms),
        (terms - len(result.known_terms)) / max(terms, 1),
        profile / top,
        float(asked.kind == "acronym"),
        float(asked.kind == "list"),
        float(asked.kind == "comparison"),
        float(result.names_a_title),
    )


def probability(confidence: float, result: SearchResult, asked: Asked) -> float:
    """The chance, as the model puts it, that an answer with this retrieval `confidence` is right (0..1)."""
    found = features(confidence, result, asked)
    if found is None:
        return 0.0
    z = BIAS + sum(w * (x - m) / s for w, x, m, s in zip(WEIGHTS, found, MEAN, SPREAD, strict=True))
    return round(1.0 / (1.0 + math.exp(-z)), 3)
