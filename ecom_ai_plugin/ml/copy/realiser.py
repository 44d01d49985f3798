"""Sentences written from facts by rule: the fallback when the model's sentence fails the gate.

Each attribute becomes a clause by its type ("Material" → "is made of
stainless steel", "Origin" → "comes from Kenya"); a sentence joins the
clauses of one planned group under one subject ("The Aldervale Kettle holds
1.0 L and is made of stainless steel."). Chinese uses the same plan with
Chinese attribute names and, where the lexicon knows them, Chinese colours,
materials and countries ("产地为肯尼亚"). The realiser states every fact it
is given and nothing else, so what it writes passes the gate by
construction; it is plain rather than lively.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ecom_ai_plugin.ml.copy import lexicon, places
from ecom_ai_plugin.ml.copy.grounding import BOOLEAN_VALUES
from ecom_ai_plugin.ml.text import clean_generated_text

Fact = tuple[str, str]

#: English clause templates by attribute name (lower case); ``{v}`` is the value
CLAUSES_EN: dict[str, str] = {
    "material": "is made of {v}",
    "materials": "is made of {v}",
    "colour": "comes in {v}",
    "color": "comes in {v}",
    "weight": "weighs {v}",
    "net weight": "holds {v}",
    "contents": "holds {v}",
    "capacity": "holds {v}",
    "volume": "holds {v}",
    "dimensions": "measures {v}",
    "size": "comes in size {v}",
    "sizes": "comes in sizes {v}",
    "mount": "mounts with {v}",
    "shape": "has a {v} shape",
    "vesa": "fits VESA patterns {v}",
    "noise cancelling": "has {v} noise cancelling",
    "origin": "comes from {v}",
    "tasting notes": "has notes of {v}",
    "process": "has a {v} process",
    "roast level": "has a {v} roast",
    "caffeine": "has {v} caffeine",
    "tea type": "is a {v} tea",
    "burr type": "grinds with {v} burrs",
    "grind settings": "has {v} grind settings",
    "power": "runs on {v}",
    "filter size": "has a filter size of {v}",
    "pack size": "comes in a pack of {v}",
    "temperature control": "has temperature control with {v}",
    "hob compatibility": "works on {v}",
    "blade material": "has a blade of {v}",
    "blade length": "has a {v} blade",
    "handle material": "has a handle of {v}",
    "packed size": "packs down to {v}",
    "seasons": "is made for {v} use",
    "hydrostatic head": "has a {v} hydrostatic head",
    "fill": "is filled with {v}",
    "comfort temperature": "has a comfort temperature of {v}",
    "thickness": "is {v} thick",
    "brightness": "gives up to {v}",
    "burn time": "runs for {v}",
    "battery life": "runs for {v} on one charge",
    "water resistance": "is rated {v} for water resistance",
    "fuel": "runs on a {v}",
    "output": "has an output of {v}",
    "length range": "adjusts from {v}",
    "length": "is {v} long",
    "height": "is {v} tall",
    "diameter": "is {v} across",
    "terrain": "is made for {v} running",
    "heel drop": "has a {v} heel-to-toe drop",
    "cushioning": "has {v} cushioning",
    "gender": "is cut for {v}",
    "display": "has a {v} display",
    "flavour": "tastes of {v}",
    "max load": "takes a load of up to {v}",
    "load": "takes {v}",
    "height range": "adjusts in height from {v}",
    "screen size": "fits screens of {v}",
    "connection": "connects via {v}",
    "switches": "has {v} switches",
    "layout": "has a {v} layout",
    "pages": "has {v} pages",
    "paper": "uses {v} paper",
    "ruling": "has {v} ruling",
    "speeds": "plays at {v}",
    "age range": "suits ages {v}",
    "pieces": "comes as a set of {v} pieces",
    "pattern": "has a {v} pattern",
    "weight range": "carries babies of {v}",
    "scent": "has a {v} scent",
    "fragrance": "has a {v} fragrance",
    "skin type": "suits {v}",
    "hair type": "is made for {v} hair",
    "ingredients": "contains {v}",
    "main protein": "has {v} as its main protein",
    "life stage": "suits the {v} life stage",
    "dog weight": "suits dogs of {v}",
    "texture": "has a {v} texture",
    "plant": "grows {v}",
    "sowing time": "is sown {v}",
    "seeds": "holds {v}",
    "spray patterns": "has {v} spray patterns",
    "connectors": "comes with {v} connectors",
    "blade type": "has {v} blades",
    "cutting capacity": "cuts branches up to {v}",
    "precision": "is precise to {v}",
    "impedance": "has an impedance of {v}",
    "cartridge": "comes with a {v} cartridge",
    "brand": "carries the {v} brand",
}

#: Chinese attribute names
NAMES_ZH: dict[str, str] = {
    "brand": "品牌", "material": "材质", "materials": "材质", "colour": "颜色", "color": "颜色", "weight": "重量",
    "net weight": "净含量", "contents": "净含量", "capacity": "容量", "volume": "容量", "dimensions": "尺寸", "size": "尺码",
    "origin": "产地", "tasting notes": "风味", "process": "处理法", "roast level": "烘焙度", "caffeine": "咖啡因含量",
    "tea type": "茶类", "burr type": "磨盘", "grind settings": "研磨档位", "power": "功率", "filter size": "滤纸型号",
    "pack size": "包装数量", "temperature control": "温度控制", "hob compatibility": "适用灶具", "blade material": "刀身材质",
    "blade length": "刀身长度", "handle material": "手柄材质", "hardness": "硬度", "packed size": "收纳尺寸", "seasons": "适用季节",
    "hydrostatic head": "静水压", "fill": "填充物", "comfort temperature": "舒适温度", "shape": "形状", "thickness": "厚度",
    "r-value": "R 值", "brightness": "亮度", "burn time": "续航时间", "battery": "电池", "battery life": "电池续航",
    "water resistance": "防水等级", "fuel": "燃料", "output": "输出", "length": "长度", "height": "高度", "diameter": "直径",
    "gender": "适用人群", "display": "屏幕", "connection": "连接方式", "switches": "轴体", "layout": "布局", "pages": "页数",
    "paper": "纸张", "ruling": "内页", "max load": "最大承重", "load": "承重", "screen size": "适用屏幕尺寸", "age range": "适用年龄",
    "pieces": "件数", "pattern": "图案", "scent": "香味", "fragrance": "香型", "ingredients": "成分", "vegan": "纯素",
    "organic": "有机认证", "flavour": "口味", "texture": "质地", "plant": "植物", "type": "类型", "speeds": "转速",
    "impedance": "阻抗", "noise cancelling": "降噪", "terrain": "适用路面", "cushioning": "缓震", "heel drop": "前后掌落差",
    "skin type": "适用肤质", "hair type": "适用发质", "life stage": "适用阶段", "main protein": "主要蛋白质",
}
YES_NO_ZH = {"yes": "是", "true": "是", "no": "否", "false": "否"}
#: common values in Chinese: per attribute first, then for any attribute
VALUES_ZH: dict[tuple[str, str], str] = {
    ("tea type", "green"): "绿茶", ("tea type", "black"): "红茶", ("tea type", "herbal"): "花草茶", ("tea type", "oolong"): "乌龙茶",
    ("roast level", "light"): "浅度烘焙", ("roast level", "medium"): "中度烘焙", ("roast level", "dark"): "深度烘焙",
    ("process", "washed"): "水洗", ("process", "natural"): "日晒", ("process", "honey"): "蜜处理",
    ("", "high"): "高", ("", "medium"): "中等", ("", "low"): "低", ("", "none"): "无", ("", "caffeine-free"): "无咖啡因",
    ("", "active"): "主动", ("", "stepless"): "无级",
}


_PROPER = frozenset(form for english, _ in places.COUNTRIES.values() for form in english)


def _lower_first(value: str) -> str:
    """"Matte Black" → "matte black"; codes and names that stay capitalised ("USB-C", "EU 42", "Turkish") keep their case."""
    words = value.split()
    out = []
    for word in words:
        if word[:1].isupper() and word[1:].islower() and word.isalpha() and word not in _PROPER:
            out.append(word.lower())
        else:
            out.append(word)
    return " ".join(out)


def _keeps_case(name: str, value: str) -> bool:
    """Origins and brands are names: "Kenya", not "kenya"."""
    return name.lower() in ("origin", "brand", "country", "connection", "display")


def _join_en(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def value_text(name: str, values: Sequence[str]) -> str:
    cleaned = [clean_generated_text(v) for v in values if v and v.strip()]
    cleaned = [v if _keeps_case(name, v) else _lower_first(v) for v in cleaned if v]
    return _join_en(cleaned)


def clause_en(name: str, value: str) -> str:
    """One fact as a predicate: "is made of stainless steel"."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    key = name.lower()
    if value.lower() in BOOLEAN_VALUES:
        yes = value.lower() in ("yes", "true")
        return f"is {'' if yes else 'not '}{_lower_first(name)}"
    if value.lower() in ("none", "no", "n/a"):
        return f"has no {_lower_first(name)}"
    shown = value if _keeps_case(name, value) else _lower_first(value)
    if ", " in shown and " and " not in shown:
        head, _, last = shown.rpartition(", ")
        shown = f"{head} and {last}"  # "cedar, dark cocoa and spice"
    template = CLAUSES_EN.get(key)
    if key == "power" and not re.search(r"\d", value):
        template = "is {v}"  # "hand-cranked", "battery-powered"
    if key == "size" and (" and " in value or "," in value):
        template = CLAUSES_EN["sizes"]
    if template:
        return template.format(v=shown)
    if re.fullmatch(r"\d+", value):
        noun = _lower_first(name)
        return f"has {value} {noun[:-1] if value == '1' and noun.endswith('s') else noun}"
    if re.search(r"\d", value):  # a measure reads well as "has a filter life of 400 L"
        return generic_clause(name, shown)
    return ""  # no words for this attribute: it gets a line of its own (see sentence_en)


def generic_clause(name: str, shown: str) -> str:
    noun = _lower_first(name)
    if noun.endswith("s") and not noun.endswith("ss"):
        article = ""
    elif noun[:1] in "aeiou" or re.match(r"[FHLMNRSX](?:-|\b)", noun):  # "an R-value"
        article = "an "
    else:
        article = "a "
    return f"has {article}{noun} of {shown}"


def label(name: str, value: str) -> str:
    """"Weather protection: windproof and water-repellent." — how the shop's own descriptions state such a fact."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    shown = value if _keeps_case(name, value) else _lower_first(value)
    return f"{name[:1].upper()}{name[1:]}: {shown}."


#: verbs whose plural is not the singular less its "s"
PLURAL_VERBS = {"is": "are", "has": "have", "carries": "carry", "does": "do", "goes": "go"}


def plural(name: str) -> bool:
    """Whether a product's name reads as plural ("Trail Running Shoes, Men's", "ANC True Wireless Earbuds")."""
    head = name.split(",")[0].split()
    last = head[-1] if head else ""
    return last.isalpha() and last[-1:] == "s" and not last.endswith(("ss", "us", "is")) and len(last) > 3


def _agree(clause: str, many: bool) -> str:
    if not many:
        return clause
    verb, _, rest = clause.partition(" ")
    if verb in PLURAL_VERBS:
        verb = PLURAL_VERBS[verb]
    elif verb.endswith(("ches", "shes", "sses", "xes")):
        verb = verb[:-2]
    elif verb.endswith("s"):
        verb = verb[:-1]
    return f"{verb} {rest}".strip()


def _with_also(clause: str) -> str:
    """"is hand-cranked" → "is also hand-cranked"; "comes in blue" → "also comes in blue"."""
    verb, _, rest = clause.partition(" ")
    if verb in ("is", "are"):
        return f"{verb} also {rest}"
    return f"also {clause}"


def sentence_en(subject: str, facts: Sequence[Fact], *, also: bool = False, many: bool = False) -> str:
    """One sentence stating every fact of a group under one subject (``many``: a plural product name)."""
    stated = [(name, value, clause_en(name, value)) for name, value in facts if clean_generated_text(value)]
    if stated and subject not in ("It", "They") and not any(clause for *_, clause in stated):
        name, value, _ = stated[0]  # the opening names the product: it needs one clause
        stated[0] = (name, value, generic_clause(name, value if _keeps_case(name, value) else _lower_first(value)))
    clauses = [_agree(clause, many) for _, _, clause in stated if clause]
    labels = [label(name, value) for name, value, clause in stated if not clause]
    if not clauses:
        return " ".join(labels)
    if also and subject in ("It", "They"):
        clauses[0] = _with_also(clauses[0])
    return " ".join([f"{subject} {_join_en(clauses)}.", *labels])


def translate_value_zh(value: str, name: str = "") -> str:
    """A colour, material or country in Chinese where the attribute is one and the lexicon knows it; else unchanged."""
    lowered, key = value.strip().lower(), name.lower()
    tables = []
    if key in ("colour", "color", "colours", "colors") or not key:
        tables.append(lexicon.COLOURS)
    if "material" in key or key in ("fill", "paper") or not key:
        tables.append(lexicon.MATERIALS)
    for table in tables:
        for english, chinese in table.values():
            if lowered in english and chinese:
                return chinese[0]
    if key in ("origin", "country", "made in") or not key:
        for english, chinese in places.COUNTRIES.values():
            if value.strip() in english and chinese:
                return chinese[0]
    if lowered in YES_NO_ZH:
        return YES_NO_ZH[lowered]
    return VALUES_ZH.get((key, lowered)) or VALUES_ZH.get(("", lowered)) or value.strip()


def name_zh(name: str) -> str:
    return NAMES_ZH.get(name.lower().strip(), name.strip())


def fact_zh(name: str, value: str) -> str:
    """"产地为肯尼亚"."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    parts = [translate_value_zh(part, name) for part in re.split(r",\s*|\s+and\s+", value) if part.strip()]
    shown = "、".join(parts)
    space = " " if shown[:1].isascii() and shown[:1].isalnum() else ""  # Latin and digits stand apart from Han characters
    return f"{name_zh(name)}为{space}{shown}"


def sentence_zh(subject: str, facts: Sequence[Fact]) -> str:
    """"Aldervale 手冲壶的容量为1.0 L，材质为不锈钢。"."""
    clauses = [fact_zh(name, value) for name, value in facts if clean_generated_text(value)]
    if not clauses:
        return ""
    space = " " if subject[-1:].isascii() and subject[-1:].isalnum() else ""
    lead = f"{subject}{space}的" if subject else "其"
    return lead + "，".join(clauses) + "。"


def translated_attributes_zh(attributes: dict[str, Sequence[str]]) -> dict[str, list[str]]:
    """The product's attributes in Chinese words, what the Chinese realiser states and the gate counts."""
    translated: dict[str, list[str]] = {}
    for name, values in attributes.items():
        parts = [translate_value_zh(part, name) for value in values for part in re.split(r",\s*|\s+and\s+", value) if part.strip()]
        if parts:
            translated[name_zh(name)] = ["、".join(parts)]
    return translated


def realise(subject: str, facts: Sequence[Fact], language: str, *, also: bool = False, many: bool = False) -> str:
    if language == "zh":
        return sentence_zh(subject, facts)
    return sentence_en(subject, facts, also=also, many=many)
