"""Sentence-level review sentiment and aspects on the hand-labelled sentences.

The sentences of :mod:`ecom_ai_plugin.ml.reviews.sentence_set` (English and
Chinese; plain cases, negations, "not bad", contrasts, neutral facts, and the
sandbox's own review phrases) are read the way review analysis reads them:
aspects by the detector analysis uses (keywords, then similarity), sentiment
by the sentence judge (clause by clause, clear words overruling the model)
over the active sentiment version, or the one named with ``--version``.
Reported beside it: the same model without the judge, and the word lists
alone. Figures per language, per tag and per half (``dev``: looked at while
the judge was built; ``test``: not).

Aspect figures count (sentence, aspect) pairs: precision and recall of the
aspects found, the sentiment accuracy on the pairs found, and the joint
accuracy: labelled pairs found with the right sentiment, over all labelled
pairs.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from ecom_ai_plugin.evaluation.report import Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", type=int, default=None, help="the sentiment version to read with (default: the active one; the word lists when none is)")


def _accuracy(rows: list[tuple[Any, bool]]) -> dict[str, Any]:
    """Accuracy overall and per language, tag and half, from (sentence, right?) pairs."""
    groups: dict[str, dict[str, list[bool]]] = {"language": defaultdict(list), "tag": defaultdict(list), "split": defaultdict(list)}
    for sentence, right in rows:
        groups["language"][sentence.language].append(right)
        groups["split"][sentence.split].append(right)
        for tag in sentence.tags:
            groups["tag"][tag].append(right)
    share = lambda values: round(sum(values) / len(values), 4) if values else None  # noqa: E731
    return {
        "accuracy": share([right for _, right in rows]),
        **{f"by_{name}": {key: share(values) for key, values in sorted(group.items())} for name, group in groups.items()},
    }


def _predictor(version: Any) -> tuple[str, Any]:
    """(name, predict) for the named or active version; the word lists when there is none."""
    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
    from ecom_ai_plugin.ml.reviews.sentiment.serving import predictions_from_probabilities

    if version is None:
        return "lexicon", lambda texts, language: predictions_from_probabilities(lexicon_probabilities(texts, language))
    from ecom_ai_plugin.ml.reviews.sentiment.model import load_sentiment_model
    from ecom_ai_plugin.services.model_versions import artifact_folder

    model = load_sentiment_model(artifact_folder(version), device="cpu")
    return f"sentiment v{version.version}", lambda texts, language: predictions_from_probabilities(model.predict_proba(texts, language=language))


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.ml.reviews.aspects import get_detector
    from ecom_ai_plugin.ml.reviews.sentence_set import labelled_sentences
    from ecom_ai_plugin.ml.reviews.sentiment.lexicon import lexicon_probabilities
    from ecom_ai_plugin.ml.reviews.sentiment.sentences import aspect_prediction, judge_sentences
    from ecom_ai_plugin.ml.reviews.sentiment.serving import predictions_from_probabilities
    from ecom_ai_plugin.models import ModelVersion, ModelVersionStatus
    from ecom_ai_plugin.services.model_versions import active_version

    if options.get("version") is not None:
        version = ModelVersion.objects.filter(kind="sentiment", version=options["version"], status=ModelVersionStatus.READY).first()
        if version is None:
            raise ValueError(f"There is no ready sentiment version {options['version']}.")
    else:
        version = active_version("sentiment")
    name, predict = _predictor(version)
    sentences = list(labelled_sentences())
    texts, languages = [s.text for s in sentences], [s.language for s in sentences]
    report.line(f"{len(sentences)} labelled sentences ({sum(s.language == 'zh' for s in sentences)} in Chinese), read with {name}.")

    def lexicon(texts: list[str], language: str | None) -> list[Any]:
        return predictions_from_probabilities(lexicon_probabilities(texts, language))

    judged = judge_sentences(texts, languages, predict=predict)
    alone = {}
    for language in set(languages):
        places = [i for i, lang in enumerate(languages) if lang == language]
        alone.update(zip(places, predict([texts[i] for i in places], language)))
    words = judge_sentences(texts, languages, predict=lexicon)
    sentiment = {
        "judged": _accuracy([(s, j.prediction.label == s.sentiment) for s, j in zip(sentences, judged)]),
        "model_alone": _accuracy([(s, alone[i].label == s.sentiment) for i, s in enumerate(sentences)]),
        "lexicon": _accuracy([(s, j.prediction.label == s.sentiment) for s, j in zip(sentences, words)]),
    }

    detector = get_detector()
    mentions = detector.detect(texts, languages=languages)
    found = labelled = hits = right = joint = 0
    per_aspect: list[tuple[Any, bool]] = []
    for sentence, judgement, names in zip(sentences, judged, mentions):
        predicted = {m.aspect: aspect_prediction(judgement, m.aspect, detector.keyword_aspects).label for m in names}
        found += len(predicted)
        labelled += len(sentence.aspects)
        for aspect, label in sentence.aspects.items():
            if aspect in predicted:
                hits += 1
                right += predicted[aspect] == label
            ok = predicted.get(aspect) == label
            joint += ok
            per_aspect.append((sentence, ok))
    aspects = {
        "labelled_pairs": labelled,
        "found_pairs": found,
        "precision": round(hits / found, 4) if found else None,
        "recall": round(hits / labelled, 4) if labelled else None,
        "sentiment_accuracy_on_found": round(right / hits, 4) if hits else None,
        "joint": _accuracy(per_aspect),
        "method": "keywords and similarity" if detector.embedder is not None and detector.similarity > 0 else "keywords",
    }
    figures = {"sentences": len(sentences), "model": name, "sentiment": sentiment, "aspects": aspects}
    _print(figures, report)
    return figures


def _print(figures: dict[str, Any], report: Report) -> None:
    report.line()
    rows = []
    for label, key in (("judged (as analysis reads)", "judged"), ("model alone", "model_alone"), ("word lists", "lexicon")):
        value = figures["sentiment"][key]
        rows.append({"sentiment": label, "all": value["accuracy"], **value["by_language"], **value["by_split"]})
    report.table(rows, ["sentiment", "all", "en", "zh", "dev", "test"])
    report.line()
    tags = figures["sentiment"]["judged"]["by_tag"]
    report.line("Judged, by tag: " + ", ".join(f"{tag} {value:.3f}" for tag, value in tags.items()))
    aspects = figures["aspects"]
    report.line(
        f"Aspects ({aspects['method']}): {aspects['labelled_pairs']} labelled pairs, precision {aspects['precision']:.3f}, "
        f"recall {aspects['recall']:.3f}, sentiment right on {aspects['sentiment_accuracy_on_found']:.3f} of those found; "
        f"aspect and sentiment both right: {aspects['joint']['accuracy']:.3f} "
        f"(en {aspects['joint']['by_language'].get('en', 0):.3f}, zh {aspects['joint']['by_language'].get('zh', 0):.3f})."
    )
