"""The sentiment of a review sentence, judged on the sentence's own words.

A model trained on whole star-rated reviews reads a short sentence poorly:
"Terrible." alone carries none of a one-star review's other words. So a
sentence is judged clause by clause:

- After "but" or "however" (但是, 可是, 不过, 就是...) the rest of the sentence
  decides; in "X, although Y" (虽然, 尽管) the X does. Each clause gets its own
  answer, so an aspect takes the label of the clause that names it: "The
  price is high, but the quality is excellent" counts against value for
  money and for quality.
- Where the word lists read a clause as clearly positive or negative (a
  polarity of at least :data:`CLEAR_WORDS`: one strong word, "terrible",
  or a negated one, "not bad") and the model says otherwise, the words
  win. A sentence whose own words clearly say one thing is never shown as
  the other.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ecom_ai_plugin.ml.reviews.sentiment.lexicon import (
    lexicon_score,
    polarity_probabilities,
)
from ecom_ai_plugin.ml.reviews.sentiment.serving import (
    SentimentPrediction,
    predictions_from_probabilities,
)

#: a clause's word-list polarity from which its words overrule the model
CLEAR_WORDS = 1.5

_CONTRAST = re.compile(r"\b(?:but|however)\b|但是|可是|不过|然而|就是|(?<!不)但", re.IGNORECASE)
_CONCESSION = re.compile(r"\b(?:although|even though|though)\b|虽然|尽管", re.IGNORECASE)
_EDGES = " \t\n,;:-—–，、；："

Predict = Callable[[list[str], str | None], list[SentimentPrediction]]


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # offsets into the sentence
    end: int
    decisive: bool


@dataclass(frozen=True)
class JudgedSentence:
    """A sentence's label (its decisive clause's) and each clause's."""

    prediction: SentimentPrediction
    clauses: tuple[tuple[Clause, SentimentPrediction], ...]


def _piece(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``start:end`` without edge punctuation, or None when nothing is left."""
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    return (start, end) if any(char.isalnum() for char in text[start:end]) else None


def _is_main_clause(text: str) -> bool:
    """A clause before "although" holds the verdict; a lone word ("Good, though") does not."""
    return len(text.split()) > 1 or not text.isascii()


def clauses(text: str) -> list[Clause]:
    """The sentence cut at its contrast or concession, the clause that decides marked."""
    text = text or ""
    cuts = list(_CONTRAST.finditer(text))
    if cuts:
        bounds = [0, *[edge for match in cuts for edge in (match.start(), match.end())], len(text)]
        pieces = [piece for piece in (_piece(text, bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)) if piece]
        if len(pieces) > 1:
            return [Clause(text[s:e], s, e, index == len(pieces) - 1) for index, (s, e) in enumerate(pieces)]
    concession = _CONCESSION.search(text)
    if concession:
        head = _piece(text, 0, concession.start())
        if head and _is_main_clause(text[head[0]:head[1]]):
            rest = _piece(text, concession.end(), len(text))
            if rest:
                return [Clause(text[head[0]:head[1]], *head, True), Clause(text[rest[0]:rest[1]], *rest, False)]
        else:
            comma = re.search(r"[,，]", text[concession.end():])
            if comma:
                split = concession.end() + comma.start()
                conceded, main = _piece(text, concession.end(), split), _piece(text, split + 1, len(text))
                if conceded and main:
                    return [Clause(text[conceded[0]:conceded[1]], *conceded, False), Clause(text[main[0]:main[1]], *main, True)]
    return [Clause(text, 0, len(text), True)]


def _by_words(prediction: SentimentPrediction, text: str, language: str | None) -> SentimentPrediction:
    """The model's answer, unless the clause's words clearly say otherwise."""
    score = lexicon_score(text, language)
    if abs(score) < CLEAR_WORDS:
        return prediction
    polarity = "positive" if score > 0 else "negative"
    if prediction.label == polarity:
        return prediction
    return predictions_from_probabilities(polarity_probabilities(score))[0]


def _serving_predict(texts: list[str], language: str | None) -> list[SentimentPrediction]:
    from ecom_ai_plugin.ml.reviews.sentiment.serving import predict_sentiment

    return predict_sentiment(texts, language=language)


def judge_sentences(texts: Sequence[str], languages: Sequence[str | None], *, predict: Predict | None = None) -> list[JudgedSentence]:
    """Each sentence judged clause by clause; one model call per language.

    ``predict`` answers for a list of texts in one language (default: the
    active sentiment version, or the word lists while there is none).
    """
    predict = predict or _serving_predict
    split = [clauses(text) for text in texts]
    wanted: dict[str | None, list[tuple[int, int]]] = defaultdict(list)
    for position, parts in enumerate(split):
        for index in range(len(parts)):
            wanted[languages[position] or None].append((position, index))
    answers: dict[tuple[int, int], SentimentPrediction] = {}
    for language, places in wanted.items():
        predictions = predict([split[p][i].text for p, i in places], language)
        for (position, index), prediction in zip(places, predictions):
            answers[(position, index)] = _by_words(prediction, split[position][index].text, language)
    judged = []
    for position, parts in enumerate(split):
        pairs = tuple((clause, answers[(position, index)]) for index, clause in enumerate(parts))
        decisive = next(prediction for clause, prediction in pairs if clause.decisive)
        judged.append(JudgedSentence(decisive, pairs))
    return judged


def aspect_prediction(judged: JudgedSentence, aspect: str, names_in: Callable[[str], list[str]]) -> SentimentPrediction:
    """The label of the clause that names ``aspect`` (``names_in(text)`` lists a text's aspects); the sentence's where none or several do."""
    if len(judged.clauses) == 1:
        return judged.prediction
    naming = [prediction for clause, prediction in judged.clauses if aspect in names_in(clause.text)]
    return naming[0] if len(naming) == 1 else judged.prediction
