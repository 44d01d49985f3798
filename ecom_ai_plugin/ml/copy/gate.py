"""The sentence gate: may this sentence about this product be published as it stands?

A sentence is publishable when it is about the product, states only what
the product's data (or its customers) say, makes no claim nobody can check
(people and teams, makers' stories, other shops, popularity and awards,
price judgements, guarantees, health or safety promises), reads as fluent
copy (no repeated phrases, shouting, trailing ellipsis, first person,
questions or calls to act) and carries no instruction, link or contact
detail. A text is publishable when every sentence is and, as a whole, it
fits its kind (language, length, coverage of the attributes).

Every rejection is a *mark*: the words that failed (a claim, a name, or the
whole sentence), a kind and a reason staff can read, in the same shape as
the grounding check's claims, so the admin shows both the same way. The
gate judges generated text and staff edits alike; it is rule-based and
fast, and takes an optional ``relevance`` function (cosine similarity of a
sentence to the product's facts) where an embedding model is at hand.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecom_ai_plugin.ml import safety
from ecom_ai_plugin.ml.copy.grounding import (
    ProductFacts,
    attribute_coverage,
    check_grounding,
    normalise,
    sentences,
)

Relevance = Callable[[Sequence[str], ProductFacts], list[float]]


@dataclass(frozen=True)
class Mark:
    """One reason a text may not be published; ``start``/``end`` are ``None`` for the text as a whole."""

    kind: str
    text: str
    start: int | None
    end: int | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


@dataclass
class SentenceVerdict:
    text: str
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.marks


@dataclass
class GateReport:
    sentences: list[SentenceVerdict]
    #: marks on the text as a whole (language, length, coverage)
    text_marks: list[Mark]
    coverage: float

    @property
    def marks(self) -> list[Mark]:
        found = [mark for verdict in self.sentences for mark in verdict.marks] + self.text_marks
        return sorted(found, key=lambda m: (m.start if m.start is not None else 10**9, m.end or 0))

    @property
    def passed(self) -> bool:
        return not self.marks

    def reasons(self) -> dict[str, int]:
        """Rejections counted by kind."""
        counts: dict[str, int] = {}
        for mark in self.marks:
            counts[mark.kind] = counts.get(mark.kind, 0) + 1
        return counts

    def failed_sentences(self) -> list[dict[str, Any]]:
        """Each rejected sentence with its reasons, for staff."""
        return [
            {"text": v.text, "start": v.start, "end": v.end, "reasons": [f"{m.reason}" for m in v.marks]}
            for v in self.sentences if v.marks
        ]


# -- rules, English --------------------------------------------------------------

def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


#: claims nobody can check from the product's data, by what they claim
UNVERIFIABLE_EN: dict[str, re.Pattern[str]] = {
    "people": _words(
        r"team|teams|founders?|experts?|professionals?|engineers?|designers?|artisans?|craftsm[ae]n|chefs?|scientists?|"
        r"specialists?|grandm(?:a|other)|family[- ]run|supervision|(?:designed|created|developed|made|invented|crafted|founded|offered) by|"
        r"by (?:a|an|the) (?:couple|family|man|woman|company|friend|farmer|group|local)|offered to you|"
        r"our story|the story|legend|history of|since \d{4}|in \d{4}"
    ),
    "shops": _words(
        r"amazon|ebay|walmart|etsy|alibaba|aliexpress|target|costco|ikea|any store|stores|retailers?|supermarkets?|marketplaces?|"
        r"in stores|online stores?|other shops|the market"
    ),
    "popularity": _words(
        r"best[- ]?sell(?:er|ers|ing)|award[- ]?winning|awards?|popular|popularity|well received|around the world|worldwide|world'?s|"
        r"loved by|favou?rites? of|millions|thousands of (?:customers|people|users)|customers love|everyone loves|famous|renowned|"
        r"acclaimed|top[- ]rated|highly rated|number one|#1|trusted by|recommended by|critics|praised|favou?rite (?:among|of|with)|"
        r"has become a favou?rite|market share|on the market|anywhere else|sold out|available now|(?:just |newly )?(?:launched|released)|"
        r"set to release|release date"
    ),
    "price": _words(
        r"low price|lowest price|price points?|best price|great price|affordable|cheap|cheapest|bargain|inexpensive|budget|"
        r"value for money|great value|good value|unbeatable|discount|on sale|sale price|free shipping|free delivery|save \d+"
    ),
    "guarantee": _words(
        r"guarantee[sd]?|guaranteed|warranty|lifetime|risk[- ]free|money[- ]back|refund|certified(?! organic: yes)|approved by|tested extensively|"
        r"meets? (?:modern|all|the highest|international) standards|100 ?% (?:safe|natural|satisfaction)"
    ),
    "health": _words(
        r"health|healthy|healthier|cure[sd]?|heals?|healing|medical|medicinal|clinically|therapeutic|detox\w*|immune|"
        r"boosts? (?:your )?(?:energy|metabolism|mood)|non[- ]toxic|eco[- ]friendly|environmentally|sustainable|organic|"
        r"hypoallergenic|exfoliant|safe for (?:children|kids|babies|pets|everyone)|completely safe|perfectly safe|side effects|"
        r"negative effects|without harming"
    ),
    "superlative": _words(
        r"the best|one of the (?:most|best|finest|top)|unique|highly speciali[sz]ed|revolutionary|world[- ]class|state[- ]of[- ]the[- ]art|"
        r"cutting[- ]edge|unmatched|unrivalled|unparalleled|second to none|like no other|ultimate|most advanced|most modern|"
        r"high[- ]end|high[- ]quality|excellent|exceptional|amazing|incredible|luxurious|best friend|can't get any better"
    ),
    "praise": _words(
        r"(?:pretty|really|very|so|super|truly|quite|incredibly|extremely|remarkably) (?:good|great|nice|easy|comfortable|cosy|cozy|"
        r"pleasant|lovely|beautiful|stylish|sturdy|durable|reliable|well[- ]made|handy|useful|practical)|"
        r"(?:good|great|nice|fine|superb|top|premium|solid|top-notch)[- ]quality|good (?:brand|product|choice|buy|thing|investment)|"
        r"easy on (?:the|your) (?:hands|feet|eyes|skin|back|body|wallet)|"
        r"looks? (?:great|good|nice|stylish|beautiful|lovely|gorgeous|stunning)"
    ),
    "kind": _words(
        r"an? (?:[\w-]+ ){0,3}(?:tool|device|gadget|solution|appliance|instrument|companion|essential|must-have)"
    ),
    "claim": _words(
        r"waterproof|water[- ]proof|shock[- ]?proof|indestructible|unbreakable|never (?:breaks|fails|wears)|designed (?:to|with)|"
        r"unlimited|infinite|endless|light ?weight|ultra-?light|heavy[- ]duty|"
        r"customi[sz]ed to|any taste|every taste|fits? (?:any|every)|for (?:any|every) (?:occasion|need|taste)|"
        r"too (?:sweet|bitter|strong|weak|big|small|heavy|light|expensive)"
    ),
    "negation": _words(r"not|n't|never|no longer|cannot|can't|doesn't|isn't|won't|don't|didn't"),
    "meta": _words(
        r"descriptions?|articles?|posts?|the text|to write|write anything|listed above|features listed|this page|read more|"
        r"scroll|click here|in stock now"
    ),
}
UNVERIFIABLE_REASONS = {
    "people": "names people, a team or a maker's story the product data does not",
    "shops": "mentions another shop or a marketplace",
    "popularity": "claims popularity, fame or awards nobody can check",
    "price": "judges the price, which the product data does not",
    "guarantee": "promises a guarantee, warranty or certification the product data does not give",
    "health": "makes a health, safety or environmental promise the product data does not",
    "superlative": "makes a sweeping claim (\"the best\", \"unique\") nobody can check",
    "praise": "praises the product (quality, brand, comfort, ease, looks) in words the product data does not support",
    "kind": "calls the product a kind of thing (a tool, a device) the product data does not name",
    "claim": "claims a property or purpose the product data does not state",
    "negation": "says what the product is not or does not do, which the product data does not state",
    "meta": "talks about the text or the page, not the product",
}
#: first person; "our" + noun is the shop's own voice ("our medium roast"), "I", "me", "we", "us" are not copy
FIRST_PERSON_EN = re.compile(r"\b(?:[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Ww]e|[Ww]e're|[Ww]e've|[Ww]e'll|us|[Oo]urselves)\b")
FIRST_PERSON_CASED = re.compile(r"(?<![\w'])I(?:'m|'ve|'d|'ll)?(?![\w'])")
#: calls to act, and instructions to a reader that copy does not give
CALL_TO_ACT_EN = re.compile(
    r"^(?:please\s+)?(?:order|buy|click|visit|call|contact|shop|subscribe|sign up|hurry|act now|don't miss|do not miss|"
    r"check out|get yours|grab|follow|like|share|download|register|email|e-mail|text)\b",
    re.IGNORECASE,
)
ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$|(?:\.\.\.|…)")
TERMINAL = re.compile(r"[.!。！]['\"”’)]*\s*$")
#: capitalised words that name nothing in particular (sentence starts, months, units)
COMMON_CAPITALISED = frozenset(
    "A An The This That These Those Its It Each Every With And Or For From By In On At To Of As Made Designed Built "
    "Use Keep Store Rinse Brush Wash Grind Brew Set Add Pour Fill Wipe Hand Machine Takes Available Finished Sizes Size "
    "Colour Color Material Weight Capacity Dimensions Origin Expect Processing Contents Caffeine Power Grinds Pack Works "
    "Blade Handle Packed Designed Filled Comfort Shape Thickness Maximum Battery Water Runs Output Sections Length Rated "
    "Pore Cushioning Cut Weather Display Music Flavour Carbohydrate Adjustable Lifts Height Desktop Screens Fits Load "
    "Mounting Extra Ruling Pages Paper Layout Connects Ships Type Noise Impedance Stays Plays Cartridge Plinth Data "
    "Suitable Pieces Pattern Carries Carry Nappy Fragrance Main Grain Life Suits Cover Texture Volume Scent Vegan Bristles "
    "Ingredients Plant Sow Packet Certified Frost Spray Connectors Cuts Peat Tea Precision Heel Net Roast Burn R Temperature "
    "Ideal Great Good Perfect Simple Light Dark Medium Whole Loose Fresh Freshly Even Our Your Their Both Also Just "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Spring Summer Autumn Winter EU US UK USB USB-C LED LCD AC DC Wi-Fi Bluetooth "
    "A4 A5 A6 XS S M L XL XXL".split()
)
#: a pronoun with its verb run in ("It's", "They're", "It'll", "They've", "That's"): a pronoun, not a name
CONTRACTION = re.compile(r"(?:It|They|He|She|You|That|There|Here|This|These|Those|What|Who|Where)['’](?:s|re|ll|ve|d)")
CAPITALISED_WORD = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*\w")
SHOUT = re.compile(r"(?<![\w-])[A-Z]{3,}(?:\s+[A-Z]{2,})+(?![\w-])|^[^a-z]*[A-Z]{4,}[^a-z]*$")

# -- rules, Chinese --------------------------------------------------------------

UNVERIFIABLE_ZH: dict[str, re.Pattern[str]] = {
    "people": re.compile(r"团队|专家|设计师|工程师|创始人|匠人|大师|监制|研发团队|历史悠久|传承|故事"),
    "shops": re.compile(r"亚马逊|淘宝|天猫|京东|拼多多|苏宁|超市|实体店|各大商场|其他商店|网店"),
    "popularity": re.compile(r"畅销|热销|爆款|销量第一|获奖|大奖|风靡|全球|世界各地|好评如潮|深受.{0,6}喜爱|网红|明星同款|知名"),
    "price": re.compile(r"低价|便宜|实惠|性价比|超值|特价|折扣|优惠|包邮|最低价"),
    "guarantee": re.compile(r"保证|保修|终身|无忧退换|退款|认证|权威|国际标准"),
    "health": re.compile(r"健康|治疗|治愈|药用|养生|排毒|免疫|无毒|环保|有机|绝对安全|对宝宝安全"),
    "superlative": re.compile(r"最好|最佳|第一|独一无二|顶级|极致|完美|无与伦比|革命性"),
    "claim": re.compile(r"(?:完全|百分百)?防水(?!等级)|防摔|永不"),
}
FIRST_PERSON_ZH = re.compile(r"我|我们|咱们")
CALL_TO_ACT_ZH = re.compile(r"^(?:快来|立即|马上|赶快|点击|购买|下单|关注|联系)")
ZH_TERMINAL = re.compile(r"[。！.!]['\"”’）)]*\s*$")


def _mark(kind: str, text: str, start: int, end: int, reason: str) -> Mark:
    return Mark(kind, text[start:end], start, end, reason)


def _in_facts(phrase: str, facts: ProductFacts) -> bool:
    phrase = normalise(phrase).lower()
    if not phrase:
        return False
    if not phrase.isascii():
        return phrase in facts.haystack
    return re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", facts.haystack) is not None


def _fact_words(facts: ProductFacts) -> set[str]:
    return {word for word in re.findall(r"[a-z]{3,}", facts.haystack)}


def judge_sentence(
    text: str,
    start: int,
    end: int,
    facts: ProductFacts,
    *,
    language: str = "en",
    title: bool = False,
) -> list[Mark]:
    """The marks of one sentence (``text[start:end]``), off-topic left to :func:`judge_text`."""
    piece = text[start:end].rstrip()
    end = start + len(piece)
    lead = len(piece) - len(piece.lstrip())
    marks: list[Mark] = []
    for span in safety.find_unsafe(piece):
        marks.append(_mark("unsafe", text, start + span.start, start + span.end, f"holds {'an' if span.kind == 'instruction' else 'a'} {span.kind.replace('contact', 'contact detail')}: never published"))
    patterns = UNVERIFIABLE_ZH if language == "zh" else UNVERIFIABLE_EN
    for group, pattern in patterns.items():
        for match in pattern.finditer(piece):
            if _in_facts(match.group(0), facts):
                continue  # "Organic: yes" supports "organic"
            if group == "people" and match.group(0).lower().endswith(" by") and _names_a_known_maker(piece, match.end(), facts):
                continue  # "made by Aldervale", the brand in the data
            if group == "kind" and _in_facts(match.group(0).split()[-1], facts):
                continue  # "a cable tidy tool" where the data names tools
            if group == "negation" and _denial_in_data(piece, facts):
                continue  # "is not oven safe" where the data says "Oven safe: no"
            marks.append(_mark("unverifiable", text, start + match.start(), start + match.end(), UNVERIFIABLE_REASONS[group]))
            break
    if language == "zh":
        marks += _fluency_zh(text, start, end, piece, title)
        marks += _latin_names(text, start, piece, facts)
    else:
        marks += _fluency_en(text, start, end, piece, lead, title, facts)
        marks += _proper_names(text, start, piece, lead, facts)
    return marks


def _denial_in_data(piece: str, facts: ProductFacts) -> bool:
    lowered = piece.lower()
    return any(
        value.lower() in ("no", "false", "none") and name.lower() in lowered for name, value in facts.attribute_values
    )


def _names_a_known_maker(piece: str, after: int, facts: ProductFacts) -> bool:
    following = re.match(r"\s+(?:the\s+)?([A-Z][\w&'’-]*(?:\s+(?:&\s+)?[A-Z][\w'’-]*)*)", piece[after:])
    return bool(following) and _in_facts(following.group(1), facts)


def _fluency_en(text: str, start: int, end: int, piece: str, lead: int, title: bool, facts: ProductFacts) -> list[Mark]:
    marks = []

    def whole(reason: str) -> None:
        marks.append(_mark("fluency", text, start + lead, end, reason))

    body = piece.strip()
    words = re.findall(r"[\w'’-]+", body.lower())
    if FIRST_PERSON_CASED.search(body) or FIRST_PERSON_EN.search(body):
        whole("speaks in the first person")
    if ELLIPSIS.search(body):
        whole("trails off in an ellipsis")
    if "?" in body:
        whole("asks a question")
    if not title and not TERMINAL.search(body):
        whole("is not a complete sentence")
    if CALL_TO_ACT_EN.search(body):
        whole("tells the reader to act (order, click, contact...)")
    if SHOUT.search(body):
        whole("shouts in capitals")
    if len(words) > 45:
        whole("runs on for more than 45 words")
    if _repeats(words, facts.haystack):
        whole("repeats a phrase")
    if body[:1].islower():
        whole("does not start with a capital letter")
    return marks


def _repeats(words: list[str], known: str = "") -> bool:
    """A phrase of two words or more said twice in a row, or one three-word phrase twice (a phrase of the data may recur)."""
    def wordy(phrase: Sequence[str]) -> bool:
        return sum(len(word) >= 3 and not word.isdigit() for word in phrase) >= 2 and " ".join(phrase) not in known

    for size in (2, 3, 4):
        for index in range(len(words) - 2 * size + 1):
            if words[index:index + size] == words[index + size:index + 2 * size] and wordy(words[index:index + size]):
                return True
    trigrams = [tuple(words[i:i + 3]) for i in range(len(words) - 2) if wordy(words[i:i + 3])]
    return len(trigrams) != len(set(trigrams))


def _fluency_zh(text: str, start: int, end: int, piece: str, title: bool) -> list[Mark]:
    marks = []
    body = piece.strip()

    def whole(reason: str) -> None:
        marks.append(_mark("fluency", text, end - len(body), end, reason))

    if FIRST_PERSON_ZH.search(body):
        whole("以第一人称说话 (speaks in the first person)")
    if "……" in body or "..." in body or "…" in body:
        whole("以省略号结尾 (trails off in an ellipsis)")
    if "？" in body or "?" in body:
        whole("是问句 (asks a question)")
    if not title and not ZH_TERMINAL.search(body):
        whole("不是完整的句子 (not a complete sentence)")
    if CALL_TO_ACT_ZH.search(body):
        whole("催促读者行动 (tells the reader to act)")
    if re.search(r"([\u4e00-\u9fff]{2,6})\1", body):
        whole("重复词语 (repeats a phrase)")
    return marks


def _proper_names(text: str, start: int, piece: str, lead: int, facts: ProductFacts) -> list[Mark]:
    """Capitalised names the product data does not hold ("Alessandro", "Alderzeel", "Amazon")."""
    marks = []
    known = facts.haystack
    for match in CAPITALISED_WORD.finditer(piece):
        word = match.group(0).rstrip("'’")
        at_start = match.start() <= lead
        if word in COMMON_CAPITALISED or CONTRACTION.fullmatch(word) or _in_facts(word, facts) or word.lower() in known.split():
            continue
        if at_start and word.lower() in _COMMON_STARTS:
            continue
        if at_start and word[1:].replace("-", "").isalpha() and word[1:].islower() and not _looks_like_name(piece, match.end()):
            continue  # an ordinary word opening the sentence ("Perfect", "Every", "Easy-to-digest")
        if re.fullmatch(r"[A-Z]-[a-z]+", word):
            continue  # "M-position", "T-shirt"
        if word.isupper() and len(word) <= 3 and not at_start:
            # short acronyms (IPX4-like codes are in the data or are claims of their own)
            if not re.fullmatch(r"[A-Z]{2,3}", word):
                continue
        marks.append(_mark("proper_name", text, start + match.start(), start + match.start() + len(word), f"{word!r} is a name the product data does not mention"))
    return marks


_COMMON_STARTS = frozenset(
    "it its this these that the a an each every with and or for from by in on at to of as made designed built "
    "use keep store rinse brush wash grind brew set add pour fill wipe whether thanks inside outside here there "
    "when while whatever wherever".split()
)


def _looks_like_name(piece: str, after: int) -> bool:
    """A sentence-opening word followed by another capitalised word reads as a name ("Alessandro Rossi")."""
    return bool(re.match(r"\s+[A-Z][a-z]", piece[after:]))


def _latin_names(text: str, start: int, piece: str, facts: ProductFacts) -> list[Mark]:
    """In Chinese text, Latin-script words must come from the product data (names, units, values)."""
    marks = []
    for match in re.finditer(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f'’-]{2,}", piece):
        word = match.group(0)
        if _in_facts(word, facts) or word in COMMON_CAPITALISED:
            continue
        marks.append(_mark("proper_name", text, start + match.start(), start + match.end(), f"{word!r} is not in the product data"))
    return marks


def on_topic_lexically(piece: str, facts: ProductFacts, vocabulary: set[str]) -> bool:
    """The sentence shares a word with the product data (name, category, attributes) or states one of its facts."""
    lowered = piece.lower()
    if not lowered.isascii():
        return any(len(term) >= 2 and term in lowered for term in _zh_terms(facts))
    words = {word.rstrip("s") for word in re.findall(r"[a-z]{3,}", lowered) if word not in COMMON_WORDS and word not in _STOP}
    return any(word in vocabulary or word + "s" in vocabulary or word + "es" in vocabulary for word in words)


def _zh_terms(facts: ProductFacts) -> set[str]:
    terms = set()
    for text in facts.texts:
        terms.update(part.lower() for part in re.split(r"[\s,;:，；：、（）()]+", text) if len(part) >= 2)
    return terms


_STOP = frozenset("the and for you its are was has had not but all can our out one two any may per how who why off own".split())

#: words too common to show that a sentence is about the product
COMMON_WORDS = frozenset(
    "this that these those with your from have will they their there about which what when where would could should "
    "more most very just also into over only some than then them were been being each other such make made every "
    "product products item items great good best quality".split()
)


def judge_text(
    text: str,
    facts: ProductFacts,
    *,
    language: str = "en",
    kind: str = "long_description",
    relevance: Relevance | None = None,
    min_relevance: float = 0.0,
    min_coverage: float = 0.0,
    length_ok: bool = True,
    language_ok: bool = True,
    avoid: Sequence[str] = (),
) -> GateReport:
    """Judge every sentence of ``text`` and the text as a whole against the product's facts.

    ``relevance`` (optional) scores sentences that share no word with the
    product data; below ``min_relevance`` a sentence is off the product.
    """
    text = unicodedata.normalize("NFKC", (text or "").replace("™", "®"))
    title = kind == "seo_title"
    grounding = check_grounding(text, facts)
    spans = [(0, len(text))] if title else sentences(text)
    vocabulary = {word for word in re.findall(r"[a-z]{3,}", facts.haystack) if word not in COMMON_WORDS}
    verdicts: list[SentenceVerdict] = []
    unsure: list[SentenceVerdict] = []
    for number, (start, end) in enumerate(spans):
        piece = text[start:end]
        if not piece.strip():
            continue
        headline = title or (kind == "ad_copy" and number == 0 and "\n" in piece)
        verdict = SentenceVerdict(piece.strip(), start, end)
        for claim in grounding.unsupported:
            if start <= claim.start < end:
                verdict.marks.append(Mark(claim.kind, claim.text, claim.start, claim.end, claim.reason))
        verdict.marks += judge_sentence(text, start, end, facts, language=language, title=headline)
        stated = any(start <= claim.start < end for claim in grounding.supported)
        if not stated and not on_topic_lexically(piece, facts, vocabulary):
            unsure.append(verdict)
        verdicts.append(verdict)
    if unsure:
        scores = relevance([v.text for v in unsure], facts) if relevance else [0.0] * len(unsure)
        for verdict, score in zip(unsure, scores):
            if relevance is None or score < min_relevance:
                body = text[verdict.start:verdict.end].rstrip()
                lead = len(body) - len(body.lstrip())
                verdict.marks.append(Mark("off_topic", body.strip(), verdict.start + lead, verdict.start + len(body),
                                          "is not about this product (it shares nothing with the product's data)"))
    seen: dict[str, SentenceVerdict] = {}
    for verdict in verdicts:
        key = " ".join(verdict.text.lower().split())
        if key in seen:
            verdict.marks.append(Mark("fluency", verdict.text, verdict.start, verdict.start + len(verdict.text), "says the same as an earlier sentence"))
        seen[key] = verdict
    coverage = attribute_coverage(text, facts)
    text_marks: list[Mark] = []
    if not text.strip():
        text_marks.append(Mark("length", "", None, None, "the text is empty"))
    if not language_ok:
        text_marks.append(Mark("language", "", None, None, f"the text is not in the language asked for ({language})"))
    if not length_ok:
        text_marks.append(Mark("length", "", None, None, "the text does not fit the length asked for"))
    if min_coverage and len(facts.attribute_values) > 1 and coverage < min_coverage:
        text_marks.append(Mark("coverage", "", None, None, f"mentions only {coverage:.0%} of the product's attributes (at least {min_coverage:.0%} wanted)"))
    lowered = text.lower()
    for word in avoid:
        if word.lower() in lowered:
            text_marks.append(Mark("avoided", word, None, None, f"uses {word!r}, which was to be avoided"))
    return GateReport(verdicts, text_marks, coverage)
