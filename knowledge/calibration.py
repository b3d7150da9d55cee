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
0.924, dev 0.906 -> 0.956, dev4 0.877 -> 0.898. Refitted again late on 2026-12-06, after 13 new sections (the
voice and team-life files) had made wrong answers on the held-out set more confident (its AUROC fell from 0.850 to
0.824): with a feature for an answer from one of our own suggestions (synthesised advice, more often a near miss than
an official page), the blind sets read dev2 0.933 -> 0.942, dev3 0.926 -> 0.929, dev5 0.899 -> 0.905, held-out
0.824 -> 0.839; the same refit without that feature gave 0.935, 0.925, 0.898, 0.825. (A feature for the share of
the question one sentence of the best section holds, and one for advice about people, added nothing.)
Refitted on the evening of 2026-12-06 after twelve more sections (the cohorts and conduct files): AUROC of the
reported confidence before -> after on the blind sets, dev2 0.953 -> 0.960, dev3 0.943 -> 0.945, dev5 0.904 ->
0.906, held-out 0.844 -> 0.848; on the sets fitted on, tuning 0.926 -> 0.921, dev 0.968 -> 0.969, dev4 0.904 -> 0.908.
A one-word question ("leadership") still says it is not sure: a question whose matched words weigh less than
VAGUE_MATCH together (an IDF sum: one or two words found in most sections, "leadership", "team", "help") lies further
from every question the model was fitted on than any of them (their least is 2.7), where its linear terms pull
against each other from far outside their range (for "leadership" the best match's strength at -13 spreads and the
question's length at -4 nearly cancel, and new content tipped it from just under one half to just over); the model
is not trusted there and the chance given is at most VAGUE_CHANCE. No question of the persona sets is near it.

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
    "answered from our own suggestion",
)

VAGUE_MATCH = 1.5  # the IDF sum of the matched words below which the model is not trusted (read sets' least: 2.7)
VAGUE_CHANCE = 0.3  # the most a question that vague is given: below answers.SURE_CHANCE, so it says it is not sure
# Fitted by tests/knowledge/fit_calibration.py on the persona tuning sets (378 answered questions, 311 right).
MEAN = (0.5549, 0.6885, 0.2317, 0.9553, 2.1376, 0.0349, 0.0214, 0.0979, 0.1217, 0.1190, 0.8016, 0.2884)
SPREAD = (0.1897, 0.2256, 0.1740, 0.0470, 0.3917, 0.0657, 0.1118, 0.2972, 0.3269, 0.3238, 0.3988, 0.4530)
# WEIGHTS has one weight per feature, in the order of FEATURES
BIAS = 2.0821
WEIGHTS = (0.3366, -0.3549, 0.5362, 0.2368, -0.7697, 0.0182, -0.0286, 0.8497, -0.1932, -0.1282, 0.1099, -0.3110)


def features(confidence: float, result: SearchResult, asked: Asked, ours: bool = False) -> tuple[float, ...] | None:
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
        float(ours),
    )


def probability(confidence: float, result: SearchResult, asked: Asked, ours: bool = False) -> float:
    """The chance, as the model puts it, that an answer with this retrieval `confidence` is right (0..1); at most
    VAGUE_CHANCE for a question too vague for the model (see the module's docstring)."""
    found = features(confidence, result, asked, ours)
    if found is None:
        return 0.0
    z = BIAS + sum(w * (x - m) / s for w, x, m, s in zip(WEIGHTS, found, MEAN, SPREAD, strict=True))
    chance = round(1.0 / (1.0 + math.exp(-z)), 3)
    return min(chance, VAGUE_CHANCE) if result.matched_weight < VAGUE_MATCH else chance
