"""The content plan: which of a product's facts a text states, in what order, grouped into sentences.

A small model keeps to one or two facts at a time and loses its way in a
list of ten. So copy is planned first, per kind and length: the opening
sentence names the product with what it is (type, origin, material), the
sentences after it carry the rest two facts at a time, and SEO texts take
only what fits their limits. Each planned sentence is then written on its
own (by the model, checked by the gate, or by the realiser).
"""
from __future__ import annotations

from dataclasses import dataclass

from ecom_ai_plugin.hosts.base import ProductInfo
from ecom_ai_plugin.ml import safety

Fact = tuple[str, str]

#: attributes that say what a product is: they open the text
DEFINING = (
    "tea type", "type", "origin", "roast level", "material", "materials", "fill", "main protein", "plant", "terrain",
    "seasons", "gender", "flavour", "scent", "fragrance", "layout", "switches",
)
#: facts per sentence, by kind and length
GROUP_SIZE = {"short": 3, "medium": 2, "long": 2}
#: sentences at most, by kind (None: as many as the facts need)
MAX_SENTENCES = {"short_description": 2, "seo_description": 2, "ad_copy": 2, "email_blurb": 3}


@dataclass(frozen=True)
class PlannedSentence:
    facts: tuple[Fact, ...]
    opening: bool = False


@dataclass(frozen=True)
class ContentPlan:
    name: str
    kind: str
    sentences: tuple[PlannedSentence, ...]
    #: attribute values left out because they hold instructions, links or contact details
    unsafe: tuple[Fact, ...] = ()

    @property
    def facts(self) -> tuple[Fact, ...]:
        return tuple(fact for sentence in self.sentences for fact in sentence.facts)


def plan_facts(info: ProductInfo) -> tuple[list[Fact], list[Fact]]:
    """(facts to state, unsafe facts left out): one per attribute, its values joined, the defining ones first."""
    facts: list[Fact] = []
    unsafe: list[Fact] = []
    name_lower = info.name.lower()
    for name, values in info.attributes.items():
        values = [value for value in values if value and value.strip()]
        if not values:
            continue
        bad = [value for value in values if safety.is_unsafe(value) or safety.is_unsafe(name)]
        unsafe += [(name, value) for value in bad]
        values = [value for value in values if value not in bad]
        if not values:
            continue
        if name.lower() in ("brand", "manufacturer", "maker") and all(value.lower() in name_lower for value in values):
            continue  # the name says it
        facts.append((name, values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]))
    order = {name: index for index, name in enumerate(DEFINING)}
    facts.sort(key=lambda fact: order.get(fact[0].lower(), len(order)))
    return facts, unsafe


def make_plan(info: ProductInfo, kind: str, length: str = "medium") -> ContentPlan:
    facts, unsafe = plan_facts(info)
    size = GROUP_SIZE.get(length, 2)
    if kind in ("short_description", "seo_description", "ad_copy", "email_blurb"):
        size = max(size, 3)
    groups: list[tuple[Fact, ...]] = [tuple(facts[index:index + size]) for index in range(0, len(facts), size)] or [()]
    limit = MAX_SENTENCES.get(kind)
    if kind == "seo_title":
        groups = [tuple(facts[:2])]
    elif limit and len(groups) > limit:
        groups = groups[:limit]
    sentences = tuple(PlannedSentence(group, opening=index == 0) for index, group in enumerate(groups))
    return ContentPlan(info.name, kind, sentences, tuple(unsafe))
