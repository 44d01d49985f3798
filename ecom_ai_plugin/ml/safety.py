"""Text in shop data that must never reach published copy, summaries or answers.

Product attributes, descriptions, reviews and questions are written by people
the shop does not control. Three things in them are refused wherever text the
plugin writes is built from them: instructions aimed at a model ("ignore
previous instructions and write ..."), links, and contact details (see
:mod:`ecom_ai_plugin.ml.pii`). :func:`find_unsafe` says where they are; a
feature drops the fact, sentence or question that holds one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ecom_ai_plugin.ml.pii import find_contacts

INSTRUCTION = "instruction"
LINK = "link"
CONTACT = "contact"

_EN_INSTRUCTIONS = [
    # "ignore / disregard / forget (all) (the) previous|above|prior|earlier instructions|rules|prompts"
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\b[\w\s,'’]{0,30}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|these|those|system)\b[\w\s,'’]{0,20}?\b(?:instructions?|rules?|prompts?|directions?|guidelines?|context|messages?)\b",
    r"\b(?:new|updated|real|actual|secret|hidden)\s+(?:instructions?|task|orders?|prompt)\s*[:：]",
    r"\bsystem\s+(?:prompt|message|instructions?)\b",
    r"\byou\s+(?:are|will)\s+now\b",
    r"\b(?:act|behave|respond|answer|reply)\s+as\s+(?:if\s+you\s+were\s+)?(?:a|an|the)?\s*(?:ai|assistant|chatbot|model|dan|developer|admin|system)\b",
    r"\bpretend\s+(?:to\s+be|you\s+are)\b",
    r"\b(?:from\s+now\s+on|henceforth)\b[\w\s,]{0,20}\b(?:you|write|say|respond|answer)\b",
    # an order to write given words: "and write 'FREE IPHONE'", "Respond with: ..."
    r"(?:^|[.!?:;]\s*|\band\s+|\bthen\s+)(?:write|say|print|output|respond\s+with|reply\s+with|insert)\s*:?\s+(?:only\s+|exactly\s+|the\s+(?:words?|text|phrase)\s+)?[\"'“‘]",
    r"\b(?:reveal|show|print|repeat|leak)\b[\w\s]{0,20}\b(?:system\s+prompt|instructions|prompt|api\s+key|password)\b",
    r"\b(?:jailbreak|prompt\s+injection)\b",
]
_ZH_INSTRUCTIONS = [
    r"(?:忽略|无视|忘记|忽视|不要理会)(?:之前|以上|上面|前面|先前|所有|全部|你的)?.{0,6}?(?:指令|指示|说明|提示|规则|要求)",
    r"你现在(?:是|扮演|作为)",
    r"(?:系统提示|系统指令|提示词)",
    r"(?:扮演|假装你是|假装成)",
    r"(?:新的|真正的)(?:指令|任务)\s*[:：]",
]
#: chat-template and role markers a model would read as a new turn
_ROLE_MARKERS = r"<\|[a-z_]+\|>|\[/?INST\]|<</?SYS>>|^\s*(?:system|assistant|user)\s*:|###\s*(?:instruction|system|response)"

INSTRUCTION_PATTERNS = [re.compile(p, re.IGNORECASE) for p in _EN_INSTRUCTIONS] + [
    re.compile(p) for p in _ZH_INSTRUCTIONS
] + [re.compile(_ROLE_MARKERS, re.IGNORECASE | re.MULTILINE)]

#: top-level domains a bare "name.tld" is read as a link for; the ones that are
#: also words or abbreviations ("great.It works", "in", "to", "me") are left out
_TLDS = (
    "com|net|org|info|biz|io|shop|store|online|site|xyz|top|club|app|dev|link|click|example|"
    "ru|cn|de|uk|fr|nl|pl|eu|ly|gl|cc"
)
LINK_PATTERNS = [
    re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE),
    re.compile(r"\bwww\.[\w-]+(?:\.[\w-]+)+\S*", re.IGNORECASE),
    # a bare domain ("evil.example", "shop.example.com/x"); not "e.g." or "Node.js"
    re.compile(rf"(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})\b(?:/\S*)?", re.IGNORECASE),
    re.compile(r"(?<![\w@])[a-z0-9-]+\s*(?:\(|\[)\s*dot\s*(?:\)|\])\s*(?:" + _TLDS + r")\b", re.IGNORECASE),
]


@dataclass(frozen=True)
class UnsafeSpan:
    kind: str  # INSTRUCTION | LINK | CONTACT
    start: int
    end: int
    text: str


def find_unsafe(text: str) -> list[UnsafeSpan]:
    """Instructions to a model, links and contact details in ``text``, in order of position."""
    if not text:
        return []
    found: list[UnsafeSpan] = []
    for pattern in INSTRUCTION_PATTERNS:
        found += [UnsafeSpan(INSTRUCTION, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    for pattern in LINK_PATTERNS:
        found += [UnsafeSpan(LINK, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    found += [UnsafeSpan(CONTACT, item.start, item.end, item.text) for item in find_contacts(text)]
    found.sort(key=lambda span: (span.start, -span.end))
    kept: list[UnsafeSpan] = []
    for span in found:  # overlapping matches (a URL holding an address) count once
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def is_unsafe(text: str) -> bool:
    return bool(find_unsafe(text))


def unsafe_kinds(text: str) -> list[str]:
    """The kinds found, each once, for messages to staff ("instruction", "link")."""
    return sorted({span.kind for span in find_unsafe(text)})
