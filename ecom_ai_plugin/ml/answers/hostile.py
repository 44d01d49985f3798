"""Questions a product page must not answer: instructions to a model, other people's data, anything off the shop.

Rules, not a model: a refusal has to be explainable to staff, and the
patterns people use to fish for other customers' orders or to slip an
instruction past a model are few and recognisable. A question about
something the product's data does not cover is not hostile: it goes to
staff (see :mod:`ecom_ai_plugin.services.answers.answering`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ecom_ai_plugin.ml import safety

INSTRUCTION = "instruction"
PERSONAL_DATA = "personal_data"
OFF_TOPIC = "off_topic"

#: what the shopper reads, per kind of refusal
REFUSALS = {
    INSTRUCTION: "Sorry, this question cannot be answered here. Please ask about the product itself.",
    PERSONAL_DATA: "Sorry, we never share other customers' details or orders. For your own orders, please see your account page.",
    OFF_TOPIC: "Sorry, we can only answer questions about this product.",
}

_PEOPLE = r"(?:customers?|buyers?|shoppers?|people|users?|clients?|reviewers?|persons?|members?)"
_DATA = (
    r"(?:names?|e-?mails?|e-?mail address(?:es)?|address(?:es)?|phone(?: numbers?)?|numbers?|orders?|details|data|info(?:rmation)?|"
    r"purchases?|accounts?|passwords?|card(?: numbers?)?|payments?|history|contacts?|locations?)"
)
PERSONAL_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b(?:other|another|previous|past|all|your|the)\s+{_PEOPLE}'?s?\b[\w\s,'’]{{0,40}}?\b{_DATA}\b",
        rf"\b{_DATA}\s+of\s+(?:the\s+|other\s+|another\s+|your\s+|a\s+)?{_PEOPLE}\b",
        r"\bwho\s+(?:else\s+)?(?:has\s+|have\s+)?(?:bought|ordered|purchased|reviewed|owns)\b",
        r"\b(?:list|give|send|show|tell|share|export|dump)\b[\w\s]{0,20}\b(?:customers?|buyers?|e-?mails?|addresses|orders)\b",
        r"\border\s*(?:#|no\.?|number|id)\s*:?\s*[\w-]*\d",
        r"\b(?:his|her|their|someone'?s|somebody'?s|anyone'?s|(?:my|a)\s+(?:neighbou?r|friend|ex|wife|husband|colleague|boss)'?s?)\s+"
        r"(?:orders?|address|e-?mail|phone|purchases?|account|details)\b",
        r"\b(?:where|what|when)\s+(?:is|are|was)\s+my\s+(?:orders?|parcel|package|delivery|refund)\b",
        r"\bmy\s+(?:orders?|account|password|refund)\b",
        r"其他(?:客户|顾客|买家|用户)|别人的(?:订单|地址|电话|邮箱)|(?:客户|顾客|买家)的(?:地址|电话|邮箱|订单|信息)|谁买了|我的订单",
    )
]
OFF_TOPIC_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:write|compose|tell|give)\s+(?:me\s+)?(?:a|an|some)\s+(?:poem|joke|song|story|essay|haiku|limerick|letter|speech)\b",
        r"\b(?:poem|joke|haiku|limerick)\b",
        r"\b(?:capital|population|president|prime minister|king|queen)\s+of\b",
        r"\b(?:who\s+won|world cup|super bowl|election|lottery|horoscope|bitcoin|crypto(?:currency)?|stock market|share price)\b",
        r"\bweather\s+(?:in|today|tomorrow|like)\b",
        r"\b(?:homework|python|javascript|sql)\b.{0,30}\b(?:code|script|program|function|query)?\b",
        r"\b(?:what\s+is|calculate|solve)\s+\d+\s*[-+*/x×]\s*\d+",
        r"\b(?:meaning of life|are you (?:a )?(?:human|robot|bot|ai|real)|who (?:made|created|built) you|what model are you)\b",
        r"\btranslate\b.{0,40}\b(?:into|to)\s+(?:french|german|spanish|chinese|italian|japanese)\b",
        r"写一首诗|讲个笑话|天气|首都|股票|彩票",
    )
]


@dataclass(frozen=True)
class Refusal:
    kind: str
    #: the words that decided it, for staff
    evidence: str

    @property
    def message(self) -> str:
        return REFUSALS[self.kind]

    @property
    def reason(self) -> str:
        return f"{self.kind.replace('_', ' ')}: {self.evidence!r}"[:255]


def refusal(text: str) -> Refusal | None:
    """Why a question is refused outright, or ``None``: an instruction or link, other people's data, plainly off-topic.

    Contact details of the asker's own are not a reason: they are scrubbed.
    """
    for span in safety.find_unsafe(text or ""):
        if span.kind in (safety.INSTRUCTION, safety.LINK):
            return Refusal(INSTRUCTION, span.text)
    for pattern in PERSONAL_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return Refusal(PERSONAL_DATA, match.group(0).strip())
    for pattern in OFF_TOPIC_PATTERNS:
        match = pattern.search(text or "")
        if match:
            return Refusal(OFF_TOPIC, match.group(0).strip())
    return None
