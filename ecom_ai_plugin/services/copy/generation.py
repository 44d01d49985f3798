"""Product copy: several candidates per product, the best grounded one kept.

A small model writes fluent text and invents details. So every request
samples several candidates, checks each against the product's facts
(``ml.copy.grounding``), drops the sentences that hold unsupported claims, checks
language, length and whether the text is about the product at all, and keeps
the best. When no candidate passes, the result says so (``publishable=False``,
``problem``) rather than offering a text staff might publish by mistake.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import ProductInfo, get_host
from ecom_ai_plugin.ml.copy.grounding import (
    BOOLEAN_VALUES,
    GroundingReport,
    ProductFacts,
    check_grounding,
    facts_from_product,
    missing_attribute_values,
    sentences,
    without_unsupported,
)
from ecom_ai_plugin.ml.copy.prompts import (
    LANGUAGE_NAMES,
    PROMPT_VERSION,
    WORDS,
    PromptFacts,
    answer_prefix,
    build_messages,
    new_token_budget,
)
from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.text import HARD_LIMITS, clean_generated_text
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
#: kinds whose text may end with a line of the facts the model left out (ECOM_AI["COPY"]["FACT_LINE"])
FACT_LINE_KINDS = ("long_description", "short_description")

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
    candidates: int | None = None  # None = ECOM_AI["COPY"]["CANDIDATES"]

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
class Candidate:
    text: str
    report: GroundingReport
    #: higher is better; see :func:`score_candidate`
    score: float
    #: the language detected in the text
    language: str
    tokens: int
    seconds: float
    length_ok: bool = True
    language_ok: bool = True
    #: words to avoid that the text uses anyway
    avoided_used: tuple[str, ...] = ()
    #: share of the requested keywords the text includes
    keyword_share: float = 1.0
    #: why the text is unusable even if grounded ("repeats itself"...)
    issues: tuple[str, ...] = ()
    #: unsupported claims in the model's text before sentences holding them were dropped
    raw_unsupported: int = 0
    #: the sentences dropped for unsupported claims
    dropped: tuple[str, ...] = ()
    #: attribute coverage of the model's own words, before a fact line was added
    model_coverage: float = 0.0
    #: the closing line of facts the model left out, taken from the product data ("" when none was added)
    fact_line: str = ""

    @property
    def acceptable(self) -> bool:
        """Grounded, in the right language, about the product, free of forbidden words."""
        return bool(self.text) and self.report.passed and self.language_ok and not self.avoided_used and not self.issues


@dataclass
class CopyResult:
    product_key: str
    request: CopyRequest
    #: "" when nothing publishable-quality was produced
    text: str
    candidates: list[Candidate]
    #: the best candidate, set even when it is not publishable (staff see why)
    chosen: Candidate | None
    publishable: bool
    problem: str
    model_name: str
    model_revision: str
    prompt_version: str
    tokens_per_second: float
    language: str = ""

    def scores(self) -> dict[str, Any]:
        chosen = self.chosen
        return {
            "attribute_coverage": round(chosen.report.attribute_coverage, 4) if chosen else 0.0,
            "model_attribute_coverage": round(chosen.model_coverage, 4) if chosen else 0.0,
            "fact_line": bool(chosen and chosen.fact_line),
            "unsupported": len(chosen.report.unsupported) if chosen else 0,
            "length_ok": chosen.length_ok if chosen else False,
            "language_ok": chosen.language_ok if chosen else False,
            "language": chosen.language if chosen else "",
            "keyword_share": round(chosen.keyword_share, 4) if chosen else 0.0,
            "avoided_used": list(chosen.avoided_used) if chosen else [],
            "score": round(chosen.score, 4) if chosen else 0.0,
            "candidates": len(self.candidates),
            "candidates_passed": sum(c.report.passed for c in self.candidates),
            "tokens": sum(c.tokens for c in self.candidates),
            "seconds": round(sum(c.seconds for c in self.candidates), 3),
            "tokens_per_second": round(self.tokens_per_second, 2),
        }


def generate_copy(product_key: str, request: CopyRequest, *, extra_facts: Sequence[str] = (), progress: ProgressCallback | None = None) -> CopyResult:
    """Copy for one product. LookupError if the product does not exist.

    ``progress(done, total)`` counts candidate texts as each is written.
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
    """Copy for many products, their candidates batched through the model.

    Products that no longer exist are left out of the result.
    ``progress(done, total)`` counts candidate texts (products × candidates)
    as each is written; ``on_result(key, result)`` hears of each product as
    soon as its candidates are judged.
    """
    request.validate()
    extra_facts = extra_facts or {}
    keys = [str(key) for key in product_keys]
    products = {p.key: p for p in get_host().iter_products(keys=keys)}
    items = [(products[key], tuple(extra_facts.get(key, ()))) for key in dict.fromkeys(keys) if key in products]
    return _generate(items, request, progress=progress, on_result=on_result)


def _generate(
    items: list[tuple[ProductInfo, tuple[str, ...]]],
    request: CopyRequest,
    progress: ProgressCallback | None = None,
    on_result: Callable[[str, CopyResult], None] | None = None,
) -> dict[str, CopyResult]:
    from ecom_ai_plugin.services.copy.voice import copy_generator

    generator = copy_generator()
    language = request.effective_language()
    count = request.effective_candidates()
    # Keep a product's candidates in one model call; fill a batch with whole products.
    per_call = max(1, generator.batch_size // count)
    results: dict[str, CopyResult] = {}
    for start in range(0, len(items), per_call):
        chunk = [(info, extra, confirmed_facts(info.key)) for info, extra in items[start:start + per_call]]
        prepared = [(info, facts_from_product(info, (*extra, *(fact.text for fact in confirmed)))) for info, extra, confirmed in chunk]
        conversations = [_messages(info, (*extra, *offered_facts(confirmed)), request, language) for info, extra, confirmed in chunk for _ in range(count)]
        prefixes = [answer_prefix(info.name, request.kind, language) for info, *_ in chunk for _ in range(count)]
        budget = min(new_token_budget(request.kind, request.length, language), generator.max_new_tokens)
        written = (lambda done, offset=start * count: progress(offset + done, len(items) * count)) if progress else None
        generations = generator.generate(conversations, max_new_tokens=budget, sample=True, prefixes=prefixes, progress=written)
        for index, (info, facts) in enumerate(prepared):
            mine = generations[index * count:(index + 1) * count]
            candidates = [_candidate(g.text, g.tokens, g.seconds, facts, request, language) for g in mine]
            results[info.key] = _result(info.key, request, language, candidates, generator)
            if on_result:
                on_result(info.key, results[info.key])
    return results


def product_facts(info: ProductInfo, extra: Sequence[str] = ()) -> ProductFacts:
    """What a text about the product may state: the shop's data, ``extra`` facts and what its customers confirm."""
    return facts_from_product(info, (*extra, *(fact.text for fact in confirmed_facts(info.key))))


def offered_facts(confirmed: Sequence[CustomerFact]) -> tuple[str, ...]:
    """The customer-confirmed points the prompt offers: praise only, the strongest first.

    Copy sells; a point customers agree is bad ("runs small") still counts
    as support when a text states it, but the model is not asked to.
    """
    return tuple(fact.text for fact in confirmed if fact.polarity == "positive")[:MAX_OFFERED_FACTS]


def _messages(info: ProductInfo, extra: tuple[str, ...], request: CopyRequest, language: str) -> list[dict[str, str]]:
    facts = PromptFacts(
        name=info.name,
        category=info.category or "",
        attributes=tuple((name, ", ".join(v for v in values if v)) for name, values in info.attributes.items() if any(values)),
        variants=tuple(info.variants),
        description=info.description or "",
        extra_facts=extra,
    )
    return build_messages(
        facts,
        kind=request.kind,
        tone=request.tone,
        length=request.length,
        language=language,
        keywords=request.keywords,
        avoid=request.avoid,
        brand_voice=request.brand_voice,
    )


def length_ok(text: str, kind: str, length: str, language: str) -> bool:
    """Within the kind's hard limit, and for prose near the asked length (half to one and a half times the words)."""
    if not text:
        return False
    limit = HARD_LIMITS.get(kind)
    if limit:
        return len(text) <= limit
    target = WORDS[kind][length]
    size = len([c for c in text if not c.isspace()]) / 2 if language == "zh" else len(text.split())  # ~2 characters a Chinese word
    return target * 0.5 <= size <= target * 1.5


def score_candidate(report: GroundingReport, *, length_fits: bool, language_fits: bool, keyword_share: float) -> float:
    """Coverage counts most; each unsupported claim costs more than full coverage earns."""
    return (
        report.attribute_coverage
        + 0.25 * length_fits
        + 0.5 * language_fits
        + 0.25 * keyword_share
        - 1.5 * len(report.unsupported)
    )


def _candidate(raw: str, tokens: int, seconds: float, facts: ProductFacts, request: CopyRequest, language: str) -> Candidate:
    text = clean_generated_text(raw, request.kind)
    report = check_grounding(text, facts)
    raw_unsupported = len(report.unsupported)
    dropped: list[str] = []
    if request.kind != "seo_title":  # a title is one phrase: nothing to drop from it
        text = complete_sentences(text)
        report = check_grounding(text, facts)
        if not report.passed:
            repaired, removed = without_unsupported(text, report)
            if repaired:  # else keep the text, so staff see what was invented
                text, dropped = repaired, removed
                report = check_grounding(text, facts)
        if language == "en":
            text = without_digressions(text, facts)
            report = check_grounding(text, facts)
    issues = text_issues(text, report, facts)
    model_report = report
    line = ""
    if not issues:
        text, report, line = with_fact_line(text, report, facts, request, language)
    minimum = float(ecom_ai_settings.COPY["MIN_COVERAGE"])
    if request.kind not in HARD_LIMITS and len(facts.attribute_values) > 1 and report.attribute_coverage < minimum and text:
        issues += (f"mentions only {report.attribute_coverage:.0%} of the product's attributes (at least {minimum:.0%} wanted)",)
    detected = detect_language(text)
    lowered = text.lower()
    keyword_share = sum(k.lower() in lowered for k in request.keywords) / len(request.keywords) if request.keywords else 1.0
    avoided = tuple(word for word in request.avoid if word.lower() in lowered)
    fits = length_ok(text, request.kind, request.length, language)
    language_fits = detected == language
    return Candidate(
        text=text,
        report=report,
        # ranked by what the model wrote itself: a fact line must not hide a candidate that ignored the facts
        score=score_candidate(model_report, length_fits=fits, language_fits=language_fits, keyword_share=keyword_share) - 1.0 * len(avoided),
        language=detected,
        tokens=tokens,
        seconds=seconds,
        length_ok=fits,
        language_ok=language_fits,
        avoided_used=avoided,
        keyword_share=keyword_share,
        issues=issues,
        raw_unsupported=raw_unsupported,
        dropped=tuple(dropped),
        model_coverage=model_report.attribute_coverage,
        fact_line=line,
    )


def with_fact_line(text: str, report: GroundingReport, facts: ProductFacts, request: CopyRequest, language: str) -> tuple[str, GroundingReport, str]:
    """The text ending with a line of the attribute values it left out, when that line is welcome.

    A 135M model mentions about half of a product's attributes however it is
    asked; shoppers want the rest. The line is the product's own data
    ("Details: capacity 30 g; grind settings stepless."), so it cannot
    invent anything; the text is checked again with it, and kept without it
    when the check or the language would fail. Only grounded texts in the
    right language get one (the caller also skips texts that loop, echo the
    prompt or are not about the product): a line must not dress up a text
    staff would reject. Candidates are still ranked by the model's own
    coverage, and both figures are kept.
    """
    if (
        not text
        or request.kind not in FACT_LINE_KINDS
        or not ecom_ai_settings.COPY["FACT_LINE"]
        or not report.passed
        or detect_language(text) != language
    ):
        return text, report, ""
    line = fact_line(missing_attribute_values(text, facts), language)
    if not line:
        return text, report, ""
    completed = f"{text}\n\n{line}"
    checked = check_grounding(completed, facts)
    if not checked.passed or detect_language(completed) != language:
        return text, report, ""
    return completed, checked, line


def fact_line(values: Sequence[tuple[str, str]], language: str) -> str:
    """One line stating attribute values in the shop's own words, safe to show (markup removed)."""
    phrases = []
    for name, value in values:
        name, value = clean_generated_text(name), clean_generated_text(value)
        if not (name and value):
            continue
        if language == "zh":
            phrases.append(f"{name}：{value}")
        elif value.lower() in BOOLEAN_VALUES:
            phrases.append(_lower_first(name) if value.lower() in ("yes", "true") else f"not {_lower_first(name)}")
        else:
            phrases.append(f"{_lower_first(name)} {value}")
    if not phrases:
        return ""
    if language == "zh":
        return "产品参数：" + "；".join(phrases) + "。"
    return "Details: " + "; ".join(phrases) + "."


def _lower_first(name: str) -> str:
    """"Net weight" -> "net weight"; "EU size" and "USB ports" keep their capitals."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def complete_sentences(text: str) -> str:
    """Without a last sentence the token limit cut off, when a complete one comes before it."""
    spans = sentences(text)
    if len(spans) > 1 and not re.search(r"[.!?。！？][\"'”’)]*\s*$", text[spans[-1][0]:spans[-1][1]]):
        return text[: spans[-1][0]].strip()
    return text


#: words too common to show that a sentence is about the product
COMMON_WORDS = frozenset(
    "this that these those with your from have will they their there about which what when where would could should "
    "more most very just also into over only some than then them were been being each other such make made every".split()
)
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")


def without_digressions(text: str, facts: ProductFacts) -> str:
    """The text without sentences that wander off the product (English).

    A small model drifts into diary entries and dialogue ("I went to the
    store and bought some bread"). Product copy never speaks in the first
    person singular, and a sentence about the product shares at least one
    word with its data (name, category, attributes, description) or states
    one of its facts; the other sentences go. The first sentence, which starts with the product's name,
    always stays.
    """
    vocabulary = {word for word in re.findall(r"[a-z]{4,}", " ".join(facts.texts).lower()) if word not in COMMON_WORDS}
    claims = check_grounding(text, facts).supported
    kept = []
    for index, (start, end) in enumerate(sentences(text)):
        piece = text[start:end]
        words = {word.rstrip("s") for word in re.findall(r"[a-z]{4,}", piece.lower())}
        on_topic = any(word in vocabulary or word + "s" in vocabulary or word + "es" in vocabulary for word in words) or any(
            start <= claim.start < end for claim in claims  # "Each bag holds 500 g."
        )
        if index == 0 or (on_topic and not FIRST_PERSON.search(piece)):
            kept.append(piece)
        elif "\n" in piece[len(piece.rstrip()):]:
            kept.append(piece[len(piece.rstrip()):])  # keep the paragraph break
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", "".join(kept))).strip()


#: words of the prompt that only appear in an answer that echoes it
ECHOES = ("product data", "product description:", "write a product", "write a web page", "write a short", "write an advertisement", "write a one-sentence", "mention every fact", "words for this product")


LINKS = re.compile(r"https?://|www\.|\S+@\S+\.\w|\[[^\]]*\]|\{[^}]*\}|<[^>]*>")


def text_issues(text: str, report: GroundingReport, facts: ProductFacts) -> tuple[str, ...]:
    """What makes a text unusable besides invented facts: empty, looping, echoing the prompt, off the product."""
    if not text:
        return ("empty",)
    issues = []
    lowered = text.lower()
    words = lowered.split()
    trigrams = list(zip(words, words[1:], words[2:]))
    if len(trigrams) >= 12 and len(set(trigrams)) / len(trigrams) < 0.6:
        issues.append("repeats itself")
    if any(echo in lowered for echo in ECHOES):
        issues.append("echoes the instructions")
    if LINKS.search(text):
        issues.append("contains a link, address or placeholder")
    name_words = {w for w in re.findall(r"\w{4,}", facts.texts[0].lower())} if facts.texts else set()
    if report.attribute_coverage == 0 and facts.attribute_values and not any(w in lowered for w in name_words):
        issues.append("does not describe the product")
    return tuple(issues)


def _result(key: str, request: CopyRequest, language: str, candidates: list[Candidate], generator: Any) -> CopyResult:
    ranked = sorted(candidates, key=lambda c: (c.acceptable, c.score), reverse=True)
    chosen = ranked[0] if ranked else None
    publishable = bool(chosen and chosen.acceptable)
    tokens = sum(c.tokens for c in candidates)
    seconds = sum(c.seconds for c in candidates)
    return CopyResult(
        product_key=key,
        request=request,
        text=chosen.text if publishable and chosen else "",
        candidates=candidates,
        chosen=chosen,
        publishable=publishable,
        problem="" if publishable else _problem(candidates, language),
        model_name=generator.name,
        model_revision=generator.revision,
        prompt_version=PROMPT_VERSION,
        tokens_per_second=tokens / seconds if seconds else 0.0,
        language=language,
    )


def _problem(candidates: list[Candidate], language: str) -> str:
    """One sentence for staff on why no candidate can be offered."""
    total = len(candidates)
    if not candidates or not any(c.text for c in candidates):
        return "The model produced no usable text; try again or choose another model."
    wanted = LANGUAGE_NAMES.get(language, language).split(" (")[0]
    if not any(c.language_ok for c in candidates):
        found = sorted({LANGUAGE_NAMES.get(c.language, c.language or "no language").split(" (")[0] for c in candidates if c.text})
        return (
            f"Asked for {wanted}, the model answered in {' and '.join(found)} in all {total} candidates: "
            "the configured model does not write this language; configure a multilingual model in ECOM_AI['MODELS']['generation']."
        )
    in_language = [c for c in candidates if c.language_ok and c.text]
    grounded = [c for c in in_language if c.report.passed]
    if not grounded:
        best = min(in_language, key=lambda c: len(c.report.unsupported))
        claims = "; ".join(f"{claim.text!r} ({claim.reason})" for claim in best.report.unsupported[:3])
        return f"None of the {total} candidates was free of unsupported claims; the best one still says {claims}."
    usable = [c for c in grounded if not c.issues]
    if not usable:
        issues = sorted({issue for c in grounded for issue in c.issues})
        return f"The grounded candidates were unusable ({', '.join(issues)}); try again or choose another model."
    avoided = sorted({word for c in usable for word in c.avoided_used})
    return f"Every grounded candidate used a word it had to avoid ({', '.join(avoided)}); try again."
