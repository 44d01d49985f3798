"""Product copy, planned then written: a sentence at a time, each one through the gate.

A small model writes fluent text and invents details, and a long prompt
loses it. So the product's facts are planned into sentences first
(:mod:`ecom_ai_plugin.ml.copy.plan`); the model writes each sentence from a
prompt that holds only its facts and a few sentences from the shop's own
descriptions of similar products; the sentence gate
(:mod:`ecom_ai_plugin.ml.copy.gate`) judges it; a failed sentence is tried
again (sampled), and where the model still fails, the realiser
(:mod:`ecom_ai_plugin.ml.copy.realiser`) writes it from the facts. The text
assembled is judged once more as a whole. A language the model does not
write (``COPY['MODEL_LANGUAGES']``) is written by the realiser alone, and
the result says it is templated.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.ml.copy.gate import GateReport
from ecom_ai_plugin.ml.copy.grounding import ProductFacts, missing_attribute_values, sentences
from ecom_ai_plugin.ml.copy.plan import ContentPlan, PlannedSentence, make_plan
from ecom_ai_plugin.ml.copy.prompts import (
    LANGUAGE_NAMES,
    PROMPT_VERSION,
    SENTENCE_TOKENS,
    WORDS,
    SentenceTask,
    sentence_messages,
    sentence_prefix,
)
from ecom_ai_plugin.ml.copy.realiser import head_noun, plural, realise, subject_zh, translate_value_zh
from ecom_ai_plugin.ml.text import HARD_LIMITS, clean_generated_text, cut_at_word
from ecom_ai_plugin.services.copy import gate
from ecom_ai_plugin.services.reviews.facts import CustomerFact, confirmed_facts

COPY_KINDS = ("long_description", "short_description", "seo_title", "seo_description", "ad_copy", "email_blurb")
TONES = ("neutral", "friendly", "premium", "technical", "playful")
LENGTHS = ("short", "medium", "long")
LANGUAGES = tuple(LANGUAGE_NAMES)
MAX_KEYWORDS = 10
MAX_AVOID = 20
MAX_WORD_CHARS = 40
MAX_BRAND_VOICE_CHARS = 1000
MAX_CANDIDATES = 8
#: customer-confirmed points offered to the prompt at most (a small model loses its way in a long list)
MAX_OFFERED_FACTS = 4
#: a meta description aims at what a search result shows (the field holds 300)
SEO_DESCRIPTION_CHARS = 155
MODEL, REALISER = "model", "realiser"
#: a sentence is done at its full stop (the rest of a generation is never used)
SENTENCE_STOPS = [". ", ".\n", "。", "! ", "? "]

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class CopyRequest:
    """What to write. JSON-able so a job can carry it (``to_dict`` / ``from_dict``)."""

    kind: str = "long_description"
    tone: str = "neutral"
    language: str = ""  # "" = ECOM_AI["COPY"]["LANGUAGE"]
    length: str = "medium"
    keywords: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    brand_voice: str = ""
    candidates: int | None = None  # tries per sentence; None = ECOM_AI["COPY"]["CANDIDATES"]

    def validate(self) -> None:
        """Raise ValueError naming the first thing wrong with the request."""
        for name, value, choices in (("kind", self.kind, COPY_KINDS), ("tone", self.tone, TONES), ("length", self.length, LENGTHS)):
            if value not in choices:
                raise ValueError(f"Unknown {name} {value!r}: choose one of {', '.join(choices)}.")
        if self.language and self.language not in LANGUAGES:
            raise ValueError(f"Unsupported language {self.language!r}: choose one of {', '.join(LANGUAGES)}.")
        for name, words, limit in (("keywords", self.keywords, MAX_KEYWORDS), ("words to avoid", self.avoid, MAX_AVOID)):
            if not isinstance(words, (tuple, list)) or not all(isinstance(w, str) and w.strip() for w in words):
                raise ValueError(f"The {name} must be a list of non-empty texts.")
            if len(words) > limit:
                raise ValueError(f"Too many {name}: {len(words)} given, at most {limit}.")
            if any(len(w) > MAX_WORD_CHARS for w in words):
                raise ValueError(f"Each of the {name} must be at most {MAX_WORD_CHARS} characters.")
        if not isinstance(self.brand_voice, str) or len(self.brand_voice) > MAX_BRAND_VOICE_CHARS:
            raise ValueError(f"The brand voice must be a text of at most {MAX_BRAND_VOICE_CHARS} characters.")
        if self.candidates is not None and (
            not isinstance(self.candidates, int) or isinstance(self.candidates, bool) or not 1 <= self.candidates <= MAX_CANDIDATES
        ):
            raise ValueError(f"candidates must be a whole number from 1 to {MAX_CANDIDATES}, not {self.candidates!r}.")

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["keywords"], data["avoid"] = list(self.keywords), list(self.avoid)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CopyRequest:
        unknown = set(data) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"Unknown copy request fields: {', '.join(sorted(unknown))}.")
        values = dict(data)
        for name in ("keywords", "avoid"):
            if isinstance(values.get(name), list):
                values[name] = tuple(values[name])
        return cls(**values)

    def effective_language(self) -> str:
        return self.language or ecom_ai_settings.COPY["LANGUAGE"]

    def effective_candidates(self) -> int:
        return self.candidates or int(ecom_ai_settings.COPY["CANDIDATES"])


@dataclass
class WrittenSentence:
    """One sentence of a text: who wrote it, after how many tries, which facts it states."""

    text: str
    source: str  # MODEL | REALISER
    facts: tuple[tuple[str, str], ...] = ()
    tries: int = 0


@dataclass
class CopyResult:
    product_key: str
    request: CopyRequest
    #: the text assembled, shown to staff whether or not it passed the gate
    text: str
    publishable: bool
    #: the gate's verdict on ``text``
    gate: GateReport | None
    sentences: list[WrittenSentence]
    problem: str
    model_name: str
    model_revision: str
    prompt_version: str
    tokens: int = 0
    seconds: float = 0.0
    language: str = ""
    #: written by the realiser alone (the model does not write this language)
    templated: bool = False
    #: model sentences the gate refused, by reason
    rejections: dict[str, int] = field(default_factory=dict)
    #: attribute values left out because they hold instructions, links or contact details
    unsafe_facts: tuple[tuple[str, str], ...] = ()

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    @property
    def marks(self) -> list[dict[str, Any]]:
        return [mark.to_dict() for mark in self.gate.marks] if self.gate else []

    def scores(self) -> dict[str, Any]:
        by_model = sum(s.source == MODEL for s in self.sentences)
        return {
            "attribute_coverage": round(self.gate.coverage, 4) if self.gate else 0.0,
            "publishable": self.publishable,
            "marks": len(self.marks),
            "reasons": self.gate.reasons() if self.gate else {},
            "sentences": len(self.sentences),
            "sentences_by_model": by_model,
            "sentences_by_realiser": len(self.sentences) - by_model,
            "model_rejections": dict(self.rejections),
            "templated": self.templated,
            "unsafe_facts": len(self.unsafe_facts),
            "language": self.language,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 3),
            "tokens_per_second": round(self.tokens_per_second, 2),
        }


def generate_copy(product_key: str, request: CopyRequest, *, extra_facts: Sequence[str] = (), progress: ProgressCallback | None = None) -> CopyResult:
    """Copy for one product. LookupError if the product does not exist.

    ``progress(done, total)`` hears when the product's text is written.
    """
    request.validate()
    info = get_host().get_product(str(product_key))
    if info is None:
        raise LookupError(f"Product {product_key!r} does not exist.")
    return _generate([(info, tuple(extra_facts))], request, progress=progress)[info.key]


def generate_copy_batch(
    product_keys: Sequence[str],
    request: CopyRequest,
    *,
    extra_facts: dict[str, Sequence[str]] | None = None,
    progress: ProgressCallback | None = None,
    on_result: Callable[[str, CopyResult], None] | None = None,
) -> dict[str, CopyResult]:
    """Copy for many products, the sentences of all of them batched through the model.

    Products that no longer exist are left out of the result.
    ``progress(done, total)`` counts products as each one's text is finished
    (sentences are batched across the products of one model call);
    ``on_result(key, result)`` hears of each product at the same moment.
    """
    request.validate()
    extra_facts = extra_facts or {}
    keys = [str(key) for key in product_keys]
    products = {p.key: p for p in get_host().iter_products(keys=keys)}
    items = [(products[key], tuple(extra_facts.get(key, ()))) for key in dict.fromkeys(keys) if key in products]
    return _generate(items, request, progress=progress, on_result=on_result)


def model_writes(language: str) -> bool:
    """Whether the configured model writes ``language`` (else the realiser writes alone)."""
    return language in (ecom_ai_settings.COPY.get("MODEL_LANGUAGES") or ())


@dataclass
class _Draft:
    """One product's text while it is being written."""

    info: ProductInfo
    facts: ProductFacts
    plan: ContentPlan
    examples: list[tuple[str, tuple[tuple[str, str], ...], str]]
    written: list[WrittenSentence | None]
    #: the words a model sentence may use (the product's data, the shop's own copy, function words)
    vocabulary: frozenset[str] = frozenset()
    rejections: dict[str, int] = field(default_factory=dict)
    tokens: int = 0
    seconds: float = 0.0


def _generate(
    items: list[tuple[ProductInfo, tuple[str, ...]]],
    request: CopyRequest,
    progress: ProgressCallback | None = None,
    on_result: Callable[[str, CopyResult], None] | None = None,
) -> dict[str, CopyResult]:
    language = request.effective_language()
    use_model = model_writes(language) and request.kind != "seo_title"
    generator = None
    if use_model:
        from ecom_ai_plugin.services.copy.voice import copy_generator

        generator = copy_generator()
    per_call = max(1, generator.batch_size if generator else 8)
    results: dict[str, CopyResult] = {}
    if progress:
        progress(0, len(items))  # staff see how many products the job holds before the first batch is written
    for start in range(0, len(items), per_call):
        drafts = [_prepare(info, extra, request, language, with_examples=use_model) for info, extra in items[start:start + per_call]]
        if generator is not None:
            _write_with_model(drafts, request, language, generator)
        for done, draft in enumerate(drafts, start=start + 1):
            results[draft.info.key] = _finish(draft, request, language, generator, templated=not model_writes(language))
            if on_result:
                on_result(draft.info.key, results[draft.info.key])
            if progress:
                progress(done, len(items))
    return results


def _prepare(info: ProductInfo, extra: tuple[str, ...], request: CopyRequest, language: str, *, with_examples: bool) -> _Draft:
    from ecom_ai_plugin.services.copy.examples import shop_vocabulary, similar_examples

    confirmed = confirmed_facts(info.key)
    facts = gate.gate_facts(info, (*extra, *(fact.text for fact in confirmed)), language)
    plan = make_plan(info, request.kind, request.length)
    count = int(ecom_ai_settings.COPY.get("EXAMPLES") or 0) if with_examples else 0
    examples = [(ex.product, ex.facts, ex.sentence) for ex in similar_examples(info, language, count)] if count else []
    names = {key: name for key, name in ((p.key, p.name) for p in get_host().iter_products(keys=[e[0] for e in examples]))} if examples else {}
    examples = [(names.get(key, ""), facts_, sentence) for key, facts_, sentence in examples if names.get(key)]
    vocabulary = shop_vocabulary(info.category, exclude=info.key) | set(re.findall(r"[a-z]+", facts.haystack)) if with_examples and language == "en" else frozenset()
    return _Draft(info, facts, plan, examples, [None] * len(plan.sentences), frozenset(vocabulary))


def _task(draft: _Draft, index: int) -> SentenceTask:
    planned = draft.plan.sentences[index]
    return SentenceTask(draft.info.name, planned.facts, opening=planned.opening)


def _write_with_model(drafts: list[_Draft], request: CopyRequest, language: str, generator: Any) -> None:
    """Each planned sentence from the model, retried while the gate refuses it; unwritten ones stay ``None``."""
    tries = request.effective_candidates()
    budget = min(SENTENCE_TOKENS.get(language, 40), generator.max_new_tokens)
    for attempt in range(tries):
        pending = [(draft, index) for draft in drafts for index, done in enumerate(draft.written) if done is None and draft.plan.sentences[index].facts]
        if not pending:
            return
        conversations = [
            sentence_messages(_task(draft, index), examples=draft.examples, tone=request.tone, language=language,
                              brand_voice=request.brand_voice, keywords=request.keywords)
            for draft, index in pending
        ]
        prefixes = [sentence_prefix(_task(draft, index), language) for draft, index in pending]
        generations = generator.generate(conversations, max_new_tokens=budget, sample=attempt > 0, prefixes=prefixes, stop=SENTENCE_STOPS)
        for (draft, index), generation in zip(pending, generations):
            draft.tokens += generation.tokens
            draft.seconds += generation.seconds
            sentence = first_sentence(generation.text, language)
            verdict = _judge_sentence(sentence, draft, index, request, language)
            if verdict:
                for reason in verdict:
                    draft.rejections[reason] = draft.rejections.get(reason, 0) + 1
                continue
            draft.written[index] = WrittenSentence(sentence, MODEL, draft.plan.sentences[index].facts, attempt + 1)


def first_sentence(text: str, language: str) -> str:
    """The first complete sentence of a generation, cleaned; "" when there is none."""
    text = clean_generated_text(text)
    spans = sentences(text.split("\n")[0]) if text else []
    if not spans:
        return ""
    start, end = spans[0]
    return text[start:end].strip()


def novel_words(sentence: str, vocabulary: frozenset[str]) -> list[str]:
    from ecom_ai_plugin.services.copy.examples import novel_words as found

    return found(sentence, vocabulary) if vocabulary else []


def _judge_sentence(sentence: str, draft: _Draft, index: int, request: CopyRequest, language: str) -> list[str]:
    """Why a model sentence cannot stand for its planned sentence ([] when it can)."""
    if not sentence:
        return ["empty"]
    report = gate.judge(sentence, draft.facts, kind=request.kind, language=language, whole_text=False)
    reasons = sorted({mark.kind for mark in report.marks})
    planned = draft.plan.sentences[index]
    missing = missing_attribute_values(sentence, _facts_of(draft.facts, planned))
    if missing:
        reasons.append("misses_facts")
    prefix = sentence_prefix(_task(draft, index), language)
    added = sentence[len(prefix):] if sentence.startswith(prefix) else sentence
    if len(added.split()) < 3:
        reasons.append("says_nothing")  # the product's name and a full stop
    if language == "en" and novel_words(sentence, draft.vocabulary):
        reasons.append("novel_words")  # words neither the data nor the shop's own copy uses: invented content
    if language == "zh" and gate.detect_language(sentence) != "zh":
        reasons.append("language")
    return reasons


def _facts_of(facts: ProductFacts, planned: PlannedSentence) -> ProductFacts:
    """The product's facts with only the planned attributes counted for coverage."""
    names = {name for name, _ in planned.facts}
    return dataclasses.replace(facts, attribute_values=tuple((n, v) for n, v in facts.attribute_values if n in names))


def _finish(draft: _Draft, request: CopyRequest, language: str, generator: Any, *, templated: bool) -> CopyResult:
    """Realise what the model did not write, assemble the text, judge it whole."""
    for index, planned in enumerate(draft.plan.sentences):
        if draft.written[index] is None:
            text = _realise(draft.info, planned, language, index) if planned.facts else _bare_opening(draft.info, language)
            draft.written[index] = WrittenSentence(text, REALISER, planned.facts, 0)
    written = [w for w in draft.written if w and w.text]
    text = assemble(draft.info, written, request.kind, language, request.length)
    report = gate.judge(text, draft.facts, kind=request.kind, language=language, length=request.length, avoid=request.avoid)
    if not report.passed and any(w.source == MODEL for w in written):
        # a model sentence that passed alone fails in company (it repeats another): the realiser's words instead
        for index, w in enumerate(draft.written):
            if w and w.source == MODEL and any(m.start is not None and w.text in text[m.start:m.end + 1] for m in report.marks):
                planned = draft.plan.sentences[index]
                draft.written[index] = WrittenSentence(_realise(draft.info, planned, language, index), REALISER, planned.facts, 0)
        written = [w for w in draft.written if w and w.text]
        text = assemble(draft.info, written, request.kind, language, request.length)
        report = gate.judge(text, draft.facts, kind=request.kind, language=language, length=request.length, avoid=request.avoid)
    return CopyResult(
        product_key=draft.info.key,
        request=request,
        text=text,
        publishable=report.passed,
        gate=report,
        sentences=written,
        problem="" if report.passed else problem_for(report),
        model_name=generator.name if generator else "realiser",
        model_revision=generator.revision if generator else "",
        prompt_version=PROMPT_VERSION,
        tokens=draft.tokens,
        seconds=draft.seconds,
        language=language,
        templated=templated,
        rejections=draft.rejections,
        unsafe_facts=draft.plan.unsafe,
    )


def _realise(info: ProductInfo, planned: PlannedSentence, language: str, index: int) -> str:
    name = clean_generated_text(info.name)
    if language == "zh":
        return realise(subject_zh(name, index), planned.facts, language, index=index)
    many = plural(name)
    subject = f"The {name}" if planned.opening else ("They" if many else "It")
    # "also" once, on the third sentence: "They also have … They also come in …" reads as a list
    return realise(subject, planned.facts, language, also=index == 2, many=many, product_noun=head_noun(name))


def _bare_opening(info: ProductInfo, language: str) -> str:
    """A product with no attributes: its name, and its category where there is one."""
    name = clean_generated_text(info.name)
    category = clean_generated_text(info.category or "")
    if language == "zh":
        return f"{name}。" if not category else f"{name}，属于{category}类商品。"
    return f"The {name}." if not category else f"The {name}, from our {category} range."


def assemble(info: ProductInfo, written: Sequence[WrittenSentence], kind: str, language: str, length: str = "medium") -> str:
    """The sentences as the kind's text: paragraphs for a long description, one line for SEO, a headline for an ad.

    Short texts keep the whole sentences that fit their length (the first always).
    """
    joiner = "" if language == "zh" else " "
    parts = [w.text for w in written]
    name = clean_generated_text(info.name)
    budget = WORDS.get(kind, {}).get(length)
    if budget and kind != "long_description":
        kept = parts[:1]
        for part in parts[1:]:
            if gate.words(joiner.join([*kept, part]), language) > budget * 1.5:
                break
            kept.append(part)
        parts = kept
    if kind == "seo_title":
        facts = [fact for w in written for fact in w.facts]
        if language == "zh":
            facts = [(key, translate_value_zh(value.split(",")[0].split(" and ")[0], key)) for key, value in facts]
            facts = [(key, value) for key, value in facts if gate.detect_language(value) == "zh"]  # only values said in Chinese
        return seo_title(name, facts, language)
    if kind == "seo_description":
        text = ""
        for part in parts:  # whole sentences that fit
            candidate = f"{text}{joiner}{part}".strip() if text else part
            if len(candidate) > SEO_DESCRIPTION_CHARS and text:
                break
            text = candidate
        return text if len(text) <= HARD_LIMITS["seo_description"] else cut_at_word(text, HARD_LIMITS["seo_description"])
    if kind == "long_description" and len(parts) > 3:
        return joiner.join(parts[:2]) + "\n\n" + joiner.join(parts[2:])
    if kind == "ad_copy":
        return f"{name}\n{joiner.join(parts)}"
    return joiner.join(parts)


def seo_title(name: str, facts: Sequence[tuple[str, str]], language: str) -> str:
    """The product's name and, where they fit within 60 characters, its defining values not already in it."""
    limit = HARD_LIMITS["seo_title"]
    title = cut_at_word(name, limit)
    for _, value in facts:
        value = clean_generated_text(value).split(",")[0].strip()
        if not value or value.lower() in title.lower() or value.lower() in ("yes", "no"):
            continue
        longer = f"{title}, {value}" if language != "zh" else f"{title} {value}"
        if len(longer) <= 60:
            title = longer
    return title


def problem_for(report: GateReport) -> str:
    """One sentence for staff on why the text may not be published as it stands."""
    failed = report.failed_sentences()
    whole = [mark.reason for mark in report.text_marks]
    parts = []
    if failed:
        first = failed[0]
        parts.append(f"{len(failed)} sentence(s) failed the check, the first because it {first['reasons'][0]}: {first['text']!r}")
    if whole:
        parts.append("; ".join(whole))
    return ". ".join(parts) + ". Edit the text until it passes, or publish with an override and a reason."


def product_facts(info: ProductInfo, extra: Sequence[str] = (), language: str = "en") -> ProductFacts:
    """What a text about the product may state: the shop's data, ``extra`` facts and what its customers confirm."""
    return gate.gate_facts(info, (*extra, *(fact.text for fact in confirmed_facts(info.key))), language)


def offered_facts(confirmed: Sequence[CustomerFact]) -> tuple[str, ...]:
    """The customer-confirmed points the prompt offers: praise only, the strongest first.

    Copy sells; a point customers agree is bad ("runs small") still counts
    as support when a text states it, but the model is not asked to.
    """
    return tuple(fact.text for fact in confirmed if fact.polarity == "positive")[:MAX_OFFERED_FACTS]
