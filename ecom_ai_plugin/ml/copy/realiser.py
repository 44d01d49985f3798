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
    "net weight": "comes in {a} {v} pack",
    "contents": "comes in {a} {v} pack",
    "capacity": "has {a} {v} capacity",
    "volume": "holds {v}",
    "dimensions": "measures {v}",
    "size": "comes in size {v}",  # a word size reads "in a regular size" (see _size_clause)
    "sizes": "comes in sizes {v}",
    "mount": "mounts with {v}",
    "shape": "has {a} {v} shape",
    "vesa": "fits VESA patterns {v}",
    "noise cancelling": "has {v} noise cancelling",
    "origin": "comes from {v}",
    "tasting notes": "has notes of {v}",
    "process": "has {a} {v} process",
    "roast level": "has {a} {v} roast",
    "caffeine": "has {v} caffeine",
    "tea type": "is a {v} tea",
    "burr type": "grinds with {v} burrs",
    "grind settings": "has {v} grind settings",
    "power": "runs on {v}",
    "filter size": "has a filter size of {v}",
    "pack size": "comes in a pack of {v}",
    "temperature control": "has temperature control with {v}",
    "hob compatibility": "works on {v}",
    "blade length": "has {a} {v} blade",
    "packed size": "packs down to {v}",
    "seasons": "is made for {v} use",
    "hydrostatic head": "has {a} {v} hydrostatic head",
    "fill": "is filled with {v}",
    "comfort temperature": "has a comfort temperature of {v}",
    "thickness": "is {v} thick",
    "brightness": "gives up to {v}",
    "burn time": "runs for {v}",
    "battery life": "runs for {v} on one charge",
    "water resistance": "is rated {v} for water resistance",
    "fuel": "runs on {a} {v}",
    "output": "has an output of {v}",
    "length range": "adjusts from {v}",
    "length": "is {v} long",
    "height": "is {v} tall",
    "diameter": "is {v} across",
    "terrain": "is made for {v} running",
    "heel drop": "has {a} {v} heel-to-toe drop",
    "cushioning": "has {v} cushioning",
    "gender": "is cut for {v}",
    "display": "has {a} {v} display",
    "flavour": "tastes of {v}",
    "max load": "takes a load of up to {v}",
    "load": "takes {v}",
    "height range": "adjusts in height from {v}",
    "screen size": "fits screens of {v}",
    "connection": "connects via {v}",
    "switches": "has {v} switches",
    "layout": "has {a} {v} layout",
    "pages": "has {v} pages",
    "paper": "uses {v} paper",
    "ruling": "has {v} ruling",
    "speeds": "plays at {v}",
    "age range": "suits ages {v}",
    "pieces": "comes as a set of {v} pieces",
    "pattern": "has {a} {v} pattern",
    "weight range": "carries babies of {v}",
    "scent": "has {a} {v} scent",
    "fragrance": "has {a} {v} fragrance",
    "skin type": "suits {v}",
    "hair type": "is made for {v} hair",
    "ingredients": "contains {v}",
    "main protein": "has {v} as its main protein",
    "life stage": "suits the {v} life stage",
    "dog weight": "suits dogs of {v}",
    "texture": "has {a} {v} texture",
    "plant": "grows {v} plants",
    "sowing time": "is sown {v}",
    "seeds": "holds {v} seeds",
    "spray patterns": "has {v} spray patterns",
    "connectors": "comes with {v} connectors",
    "blade type": "has {v} blades",
    "cutting capacity": "cuts branches up to {v}",
    "precision": "is precise to {v}",
    "impedance": "has an impedance of {v}",
    "cartridge": "comes with {a} {v} cartridge",
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
NAMES_ZH.update({
    "grain": "谷物", "motors": "电机", "locking": "锁定方式", "extra": "附加功能", "adjustments": "可调节项", "carry positions": "背法",
    "bristle firmness": "刷毛软硬", "weather protection": "防护", "cutting capacity": "最大剪切直径", "dog weight": "适用犬只体重",
    "height range": "高度调节范围", "length range": "长度调节范围", "sowing time": "播种时间", "seeds": "种子数量", "precision": "精度",
    "pore size": "孔径", "filter life": "滤芯寿命", "fabric weight": "面料克重", "colour temperature": "色温", "data speed": "数据速度",
    "music storage": "音乐存储", "power delivery": "供电功率", "nappy size": "尺码", "outsole": "外底", "screens": "屏幕数量",
    "spray patterns": "喷洒模式", "connectors": "接头", "blade type": "刀片类型", "weight range": "适用体重", "mount": "安装方式",
    "frost resistant": "耐霜冻", "peat-free": "无泥炭", "carbohydrate": "碳水化合物", "cartridge": "唱头", "sizes": "尺码",
})
#: a part's attribute in Chinese: "Plinth finish" → "底座饰面"
PARTS_ZH = {
    "plinth": "底座", "desktop": "桌面", "top": "顶部", "base": "底座", "frame": "框架", "handle": "手柄", "blade": "刀身", "lid": "盖子",
    "seat": "座面", "back": "靠背", "legs": "桌腿", "strap": "背带", "sole": "鞋底", "cover": "外罩", "case": "外壳", "body": "机身",
}
PART_PROPERTIES_ZH = {"finish": "饰面", "colour": "颜色", "color": "颜色", "material": "材质", "materials": "材质"}
YES_NO_ZH = {"yes": "是", "true": "是", "no": "否", "false": "否"}
#: how a feature's Chinese name reads as a predicate by itself (resistant to, free of, can, proof against)
PREDICATES_ZH = ("耐", "无", "可", "防", "不")
#: common values in Chinese: per attribute first, then for any attribute
VALUES_ZH: dict[tuple[str, str], str] = {
    ("tea type", "green"): "绿茶", ("tea type", "black"): "红茶", ("tea type", "herbal"): "花草茶", ("tea type", "oolong"): "乌龙茶",
    ("roast level", "light"): "浅度烘焙", ("roast level", "medium"): "中度烘焙", ("roast level", "dark"): "深度烘焙",
    ("process", "washed"): "水洗", ("process", "natural"): "日晒", ("process", "honey"): "蜜处理",
    ("", "high"): "高", ("", "medium"): "中等", ("", "low"): "低", ("", "none"): "无", ("", "caffeine-free"): "无咖啡因",
    ("", "active"): "主动", ("", "stepless"): "无级",
}


_PROPER = frozenset(form for english, _ in places.COUNTRIES.values() for form in english)

#: parts a product is made of: "Plinth finish" is the plinth's, "bamboo handle" has a part in it
PARTS = frozenset(
    "plinth desktop top base frame handle handles blade lid seat back legs leg arms armrests strap straps sole outsole upper "
    "cover case body shell cap cuffs bristles core plate pad port battery display screen tray bowl pot jar basket hood".split()
)
#: parts without an article ("grey mesh", "Damascus cladding")
MASS_PARTS = frozenset("mesh cladding lining trim padding upholstery insulation".split())
#: what a part's attribute says about it: "Plinth finish", "Frame colour", "Handle material"
PART_PROPERTIES = frozenset({"finish", "colour", "color", "material", "materials"})
#: attributes that list further things the product has
EXTRAS = frozenset({"extra", "extras", "features", "includes", "accessories", "in the box"})
ADJECTIVE_ENDINGS = ("proof", "repellent", "resistant", "free", "able", "ible", "coated", "less", "ive", "ic")
QUANTITY = re.compile(r"^(?:about |up to |over )?\d[\d.,]*(?:\s?[–-]\s?\d[\d.,]*)?(?:\s?x\s?\d[\d.,]*)*\s?(?:[a-zA-Z°µ%/]+)?$")
RANGE = re.compile(r"^(?P<low>[\w.,]+)\s?[–-]\s?(?P<high>[\w.,]+(?:\s.+)?)$")


def _lower_first(value: str) -> str:
    """"Matte Black" → "matte black"; a value in title case is a display form, while mixed case ("Qi wireless charging
    pad", "stretch Lycra") and codes ("USB-C", "EU 42") keep their capitals."""
    words = value.split()
    plain = [word for word in words if word[:1].isalpha() and word not in ("and", "or", "of", "with", "in", "for")]
    mixed = len(plain) > 1 and not all(word[:1].isupper() for word in plain)  # "Red, Blue and Green" is title case: "and" is a joint
    out = []
    for word in words:
        bare = word.rstrip(",;")
        if bare != word:
            out.append(_lower_first(bare) + word[len(bare):] if not mixed or bare.lower() in _COMMON_VALUE_WORDS else word)
            continue
        if mixed and word.lower() not in _COMMON_VALUE_WORDS:
            out.append(word)  # "Qi wireless charging pad" keeps its name, "White frame" does not
        elif word[:1].isupper() and word[1:].islower() and word.replace("-", "").isalpha() and word not in _PROPER:
            out.append(word.lower())
        else:
            out.append(word)
    return " ".join(out)


#: colour and material words: lower case wherever they stand ("White frame, grey mesh")
_COMMON_VALUE_WORDS = frozenset(
    form.lower() for table in (lexicon.COLOURS, lexicon.MATERIALS) for english, _ in table.values() for phrase in english for form in phrase.split()
)


def _name_words(name: str) -> str:
    """An attribute's name inside a sentence: "Colour temperature" → "colour temperature"; "R-value", "VESA" stay."""
    return " ".join(
        word.lower() if word[1:].islower() and not re.match(r"[A-Z]-", word) else word for word in name.split()
    )


def _keeps_case(name: str, value: str) -> bool:
    """Origins and brands are names: "Kenya", not "kenya"."""
    return name.lower() in ("origin", "brand", "country", "connection", "display")


def _join_en(parts: Sequence[str], word: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def value_text(name: str, values: Sequence[str]) -> str:
    cleaned = [clean_generated_text(v) for v in values if v and v.strip()]
    cleaned = [v if _keeps_case(name, v) else _lower_first(v) for v in cleaned if v]
    return _join_en(cleaned)


def article(phrase: str) -> str:
    """"a" or "an" by the sound of the first word: "an 8 mm", "an SK5", "a USB-C", "a eucalyptus", "an olive"."""
    word = phrase.split()[0] if phrase.split() else ""
    if word[:1].isdigit():
        whole = re.match(r"\d+", word).group(0)
        return "an" if whole.startswith("8") or whole in ("11", "18") or (len(whole) == 5 and whole[:2] in ("11", "18")) else "a"
    letters = word.split("-")[0]
    if (len(letters) > 1 or "-" in word) and letters.isupper() or re.fullmatch(r"[A-Z]+\d+\w*", letters):  # read letter by letter
        return "an" if letters[0] in "AEFHILMNORSX" else "a"
    lowered = word.lower()
    if lowered.startswith(("eu", "uni", "use", "usu", "one", "once")) or re.match(r"u[^aeiou][aeiou]", lowered) and not lowered.startswith("un"):
        return "a"
    if lowered.startswith(("hour", "honest", "honour")):
        return "an"
    return "an" if lowered[:1] in "aeiou" else "a"


def _with_article(noun_phrase: str) -> str:
    """"bamboo handle" → "a bamboo handle"; plurals and mass nouns go bare ("nylon bristles", "grey mesh")."""
    head = noun_phrase.split()[-1].lower() if noun_phrase.split() else ""
    if head in MASS_PARTS or (head.endswith("s") and not head.endswith("ss")):
        return noun_phrase
    return f"{article(noun_phrase)} {noun_phrase}"


def _items(value: str) -> list[str]:
    return [part.strip() for part in re.split(r",\s*|\s+and\s+", value) if part.strip()]


def _part_of(item: str) -> str:
    head = item.split()[-1].lower() if item.split() else ""
    return head if head in PARTS or head in MASS_PARTS else ""


def _adjectival(item: str) -> bool:
    last = item.split()[-1].lower() if item.split() else ""
    if last.endswith(ADJECTIVE_ENDINGS):
        return True
    return last.endswith("ed") and not last.endswith("eed") and len(last) > 4


def _plural_noun(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _singular(noun: str) -> str:
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    return noun[:-1] if _plural_noun(noun) else noun


def _from_range(value: str) -> str:
    """"62–127 cm" → "from 62 to 127 cm"; a value that is no range stays as it is."""
    match = RANGE.match(value)
    return f"from {match.group('low')} to {match.group('high')}" if match and "x" not in value.split() else value


def _fill(template: str, shown: str) -> str:
    """The template with the value; a closing aside moves to the end ("is 15 m long (expanded)")."""
    aside = ""
    match = re.match(r"^(.*\S)\s+(\([^()]*\))$", shown)
    if match and not template.endswith("{v}"):
        shown, aside = match.group(1), " " + match.group(2)
    items = _items(shown)
    if len(items) > 1 and re.search(r"\{v\} \w", template) and any(_adjectival(i) or QUANTITY.match(i) for i in items):
        # an attributive list reads as one phrase: "100 gsm acid-free paper", "pre-mounted moving magnet cartridge"
        ordered = [i for i in items if QUANTITY.match(i)] + [i for i in items if _adjectival(i) and not QUANTITY.match(i)]
        shown = " ".join(ordered + [i for i in items if i not in ordered])
    return template.format(v=shown, a=article(shown)) + aside


def _size_clause(value: str) -> str:
    """"comes in size M", "comes in size 2 (3–6 kg)", but "comes in a regular size (up to 185 cm)"."""
    head, _, rest = value.partition(" ")
    if head[:1].isdigit() or head.isupper() or head[:1].isupper() and not head[1:].islower():
        return f"comes in size {value}"
    word = head.lower()
    return f"comes in {article(word)} {word} size" + (f" {rest}" if rest else "")


def clause_en(name: str, value: str) -> str:
    """One fact as a predicate: "is made of stainless steel"; "" where the fact reads as a sentence of its own (:func:`own_sentence_en`)."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    key = name.lower()
    noun = _name_words(name)
    if value.lower() in BOOLEAN_VALUES:
        yes = value.lower() in ("yes", "true")
        last = noun.split()[-1] if noun.split() else ""
        if last.endswith(ADJECTIVE_ENDINGS + ("safe", "vegan", "organic", "certified")) or _adjectival(noun):
            return f"is {'' if yes else 'not '}{noun}"
        if last.endswith("ing") or _plural_noun(last):
            return f"has {noun}" if yes else f"has no {noun}"
        return f"has {_with_article(noun)}" if yes else f"has no {noun}"
    if value.lower() in ("none", "no", "n/a"):
        return f"has no {noun.lower()}"
    if key in ("colour", "color") and "/" in value:
        value = " and ".join(part.strip() for part in value.split("/"))  # "Black/White" → "black and white"
    shown = value if _keeps_case(name, value) else _lower_first(value)
    items = _items(shown)
    if len(items) == 1 and (items[0].endswith("-free") or re.fullmatch(r"un\w+ed", items[0])):
        return f"is {items[0]}"  # "fragrance-free", "unscented"
    words = key.split()
    if len(words) > 1 and words[-1] in PART_PROPERTIES and words[0] in PARTS | MASS_PARTS:
        return ""  # "The plinth has a black finish."
    if len(items) > 1 and any(_part_of(item) and _part_of(item) not in MASS_PARTS for item in items):
        # "bamboo handle, nylon bristles" → "has a bamboo handle and nylon bristles"
        parts = [item for item in items if _part_of(item)]
        rest = [item for item in items if not _part_of(item)]
        has = "has " + _join_en([_with_article(item) for item in parts])
        other = clause_en(name, _join_en(rest)) if rest else ""
        if not rest:
            return has
        if other:
            return f"{other} and {has[4:]}" if other.startswith("has ") else f"{other} and {has}"
    if ", " in shown and " and " not in shown:
        head, _, last = shown.rpartition(", ")
        shown = f"{head} and {last}"  # "cedar, dark cocoa and spice"
    special = _special_en(key, value, shown, items)
    if special:
        return special
    template = CLAUSES_EN.get(key)
    if template:
        return _fill(template, shown)
    if key in EXTRAS:
        return "has " + _join_en([_with_article(item) for item in items])
    if key == "type":
        return f"is {shown}" if all("-" in item or _adjectival(item) for item in items) else f"is {_with_article(shown)}"
    if (key.endswith(" size") or key == "size") and not QUANTITY.match(shown):
        return _size_clause(shown)
    if key in PARTS:
        if re.search(r"\d", value) and _plural_noun(items[-1].split()[-1]):
            return f"has {article(key)} {key} with {shown}"  # "has an outsole with 4 mm lugs"
        return f"has {_with_article(shown if shown.lower().endswith(key) else f'{shown} {key}')}"
    if re.fullmatch(r"\d+", value):
        return f"has {value} {noun[:-1] if value == '1' and noun.endswith('s') else noun}"
    if _plural_noun(words[-1]) and items[-1].lower().endswith(_singular(words[-1])):
        qualifier = items[-1][: -len(_singular(words[-1]))].strip()  # "dual motor" → "has dual motors"
        if qualifier.lower() in ("single", "one", "a"):
            return f"has a single {_singular(noun)}"
        return f"has {qualifier} {noun}"
    if words[-1].endswith("ing") and len(words[-1]) > 5:
        stem = words[-1][:-3]
        if stem in shown.lower():
            return f"{stem}s with {_with_article(shown)}"  # "locks with a twist-lock"
        return f"has {shown} {noun}"  # "has foam padding"
    if re.search(r"\d", value):  # a measure reads well as "has a filter life of 400 L"
        return generic_clause(name, shown)
    if all(_adjectival(item) for item in items):
        return f"is {shown}"  # "windproof and water-repellent"
    if any(_adjectival(item) for item in items):
        adjectives = [item for item in items if _adjectival(item)]
        nouns = [item for item in items if not _adjectival(item)]
        return f"is {_join_en(adjectives)} and has {_join_en(nouns)}"  # "is windproof and has light synthetic insulation"
    return ""  # "Its grain is brown rice." (see own_sentence_en)


def _special_en(key: str, value: str, shown: str, items: list[str]) -> str:
    """Attributes whose clause depends on the shape of the value."""
    if key in ("net weight", "contents"):
        many = re.fullmatch(r"(\d+)\s?x\s?(.+)", shown)
        if many:
            return f"comes in {many.group(1)} packs of {many.group(2)}"  # "3 x 100 g"
        return "" if QUANTITY.match(shown) else f"holds {shown}"
    if key == "capacity":
        if shown.endswith(" included"):
            return f"comes with {shown[: -len(' included')]}"
        if re.search(r"\b(?:persons?|people|guests?)$", shown):
            return f"has room for {shown}"
        if len(items) > 1 and all(QUANTITY.match(item) for item in items):
            return f"has capacities of {shown}"
        match = re.fullmatch(r"(\d[\d.,]*\s?[A-Za-z]+)\s+([a-z]+)", shown)
        if match and match.group(2) not in ("each", "total"):
            return f"has {article(match.group(1))} {match.group(1)} {match.group(2)}"  # "a 1.0 L pot"
        return "" if QUANTITY.match(shown) else f"holds {shown}"
    if key == "power":
        if re.fullmatch(r"[\d.,]+\s?k?W", shown):
            return f"is rated at {shown}"
        return f"runs on {shown}" if re.search(r"\d", value) else f"is {shown}"
    if key in ("length", "height") and not re.search(r"\d", value):
        return f"is {shown}"  # "ankle length"
    if key == "battery life" and re.search(r" plus |, | with ", value):
        return f"has a battery life of {shown}"
    if key == "size" and len(items) > 1:
        return CLAUSES_EN["sizes"].format(v=shown)
    if key in ("size", "sizes") and len(items) == 1:
        return _size_clause(shown)
    if key == "pack size" and shown.startswith("1 "):
        return f"comes as a single {shown[2:]}"
    if key == "pattern" and _plural_noun(shown.split()[-1]):
        return f"has a pattern of {shown}"
    if key == "texture" and (" in " in shown or _plural_noun(shown.split()[0])):
        return f"comes as {shown}"
    if key == "plant" and _plural_noun(shown.split()[-1]):
        return f"grows {shown}"
    if key == "seeds" and shown.endswith("seeds"):
        return f"holds {shown}"
    if key == "main protein" and len(items) > 1:
        return f"has {shown} as its main proteins"
    if key == "mount":
        return "mounts with " + _join_en([_with_article(item) for item in items], "or")
    if key == "hob compatibility":
        hobs = [item for item in items if item.lower() != "oven"]
        oven = " and in the oven" if len(hobs) < len(items) else ""
        return f"works on {_join_en(hobs)} hobs{oven}" if hobs else "works in the oven"
    if key in ("height range", "length range", "sowing time", "temperature control") and RANGE.match(shown):
        verb = {"height range": "adjusts in height", "length range": "adjusts", "sowing time": "is sown", "temperature control": "has temperature control"}[key]
        return f"{verb} {_from_range(shown)}"
    if key in ("net weight", "contents", "capacity") or not re.search(r"\d", value):
        return ""
    per = re.fullmatch(r"(.+?) per (\w+)", shown)
    if per and key not in CLAUSES_EN:
        return f"has {per.group(1)} of {key} per {per.group(2)}"  # "has 22 g of carbohydrate per gel"
    if key.endswith(("storage", "memory")):
        return f"has {shown} of {key}"
    return ""


def own_sentence_en(subject_pronoun: str, name: str, value: str) -> str:
    """A fact that reads best with its own subject: "The plinth has a black finish.", "Its grain is brown rice."."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    key = name.lower()
    shown = value if _keeps_case(name, value) else _lower_first(value)
    items = _items(shown)
    listed = _join_en(items)
    words = key.split()
    possessive = "Their" if subject_pronoun == "They" else "Its"
    if len(words) > 1 and words[-1] in PART_PROPERTIES and words[0] in PARTS | MASS_PARTS:
        part = " ".join(words[:-1])
        many = _plural_noun(words[-2])
        if words[-1] == "finish":
            return f"The {part} {'have' if many else 'has'} {_with_article(shown + ' finish')}."
        verb = "are" if many else "is"
        if words[-1] in ("colour", "color"):
            return f"The {part} {verb} {listed}."
        parts = [item for item in items if _part_of(item)]
        if parts and len(parts) == len(items):
            return f"The {part} {'have' if many else 'has'} {_join_en([_with_article(i) for i in parts])}."  # "a VG-10 core and 67-layer Damascus cladding"
        adjectives = [item for item in items[1:] if _adjectival(item)]
        made = _join_en([item for item in items if item not in adjectives])
        return f"The {part} {verb} made of {made}" + (f" and {verb} {_join_en(adjectives)}." if adjectives else ".")
    noun = _name_words(name)
    if _plural_noun(words[-1]) and len(items) == 1:
        return f"{possessive} {_singular(noun)} is {listed}."  # "Its carry position is front-facing in."
    verb = "are" if _plural_noun(words[-1]) else "is"
    return f"{possessive} {noun} {verb} {listed}."


def fallback_clause(name: str, value: str) -> str:
    """A predicate for a fact that reads best on its own, where the sentence must still name the product."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    key = name.lower()
    shown = value if _keeps_case(name, value) else _lower_first(value)
    words = key.split()
    if len(words) > 1 and words[-1] in PART_PROPERTIES:
        part = " ".join(words[:-1])
        if words[-1] == "finish":
            return f"has {_with_article(part)} with {_with_article(shown + ' finish')}"
        return f"has {_with_article(part)} made of {shown}" if "material" in words[-1] else f"has {_with_article(part)} in {shown}"
    return f"has {_join_en(_items(shown))} as its {_name_words(name)}"


def generic_clause(name: str, shown: str) -> str:
    noun = _name_words(name)
    if _plural_noun(noun):
        return f"has {noun} of {shown}"
    return f"has {article(noun)} {noun} of {shown}"


#: verbs whose plural is not the singular less its "s"
PLURAL_VERBS = {"is": "are", "has": "have", "carries": "carry", "does": "do", "goes": "go"}


_SIZE_WORDS = frozenset("x cm mm m ml l kg g lm w in".split())


def plural(name: str) -> bool:
    """Whether a product's name reads as plural ("Trail Running Shoes, Men's", "ANC True Wireless Earbuds")."""
    head = name.split(",")[0].split()
    while len(head) > 1 and (re.search(r"\d", head[-1]) or head[-1].lower() in _SIZE_WORDS):
        head.pop()  # "Swaddle Blankets 120 x 120 cm": the noun before the size
    last = head[-1] if head else ""
    return last.isalpha() and last[-1:] == "s" and not last.endswith(("ss", "us", "is")) and len(last) > 3


def _agree(clause: str, many: bool) -> str:
    if not many:
        return clause
    clause = re.sub(r"\bits\b", "their", clause)
    clause = re.sub(r"\band (is|has) ", lambda m: f"and {PLURAL_VERBS[m.group(1)]} ", clause)
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


def _merge(clauses: list[str]) -> list[str]:
    """"has a dark roast and has notes of…" → "has a dark roast and notes of…"."""
    merged: list[str] = []
    for clause in clauses:
        verb = clause.split(" ", 1)[0]
        previous = merged[-1].split(" ", 1)[0] if merged else ""
        if merged and verb in ("has", "have") and previous == verb and " and " not in merged[-1]:
            merged[-1] = f"{merged[-1]} and {clause.split(' ', 1)[1]}"
        elif merged and verb in ("comes", "come") and clause.startswith(f"{verb} in ") and merged[-1].startswith(f"{verb} in "):
            merged[-1] = f"{merged[-1]} and {clause[len(verb) + 1:]}"  # "come in a pack of 3 pairs and in sizes S and M"
        else:
            merged.append(clause)
    return merged


def sentence_en(subject: str, facts: Sequence[Fact], *, also: bool = False, many: bool = False) -> str:
    """One sentence stating every fact of a group under one subject (``many``: a plural product name), and after it
    the facts that read best with a subject of their own ("The plinth has a black finish.")."""
    stated = [(name, value, clause_en(name, value)) for name, value in facts if clean_generated_text(value)]
    if stated and subject not in ("It", "They") and not any(clause for *_, clause in stated):
        name, value, _ = stated[0]  # the opening names the product: it needs one clause
        stated[0] = (name, value, fallback_clause(name, value))
    pronoun = "They" if many else "It"
    clauses = _merge([_agree(clause, many) for _, _, clause in stated if clause])
    own = [own_sentence_en(pronoun, name, value) for name, value, clause in stated if not clause]
    if not clauses:
        return " ".join(own)
    if also and subject in ("It", "They"):
        clauses[0] = _with_also(clauses[0])
    return " ".join([f"{subject} {_join_en(clauses)}.", *own])


def translate_value_zh(value: str, name: str = "") -> str:
    """A colour, material or country in Chinese where the attribute is one and the lexicon knows it; else unchanged."""
    lowered, key = value.strip().lower(), name.lower()
    tables = []
    if key in ("colour", "color", "colours", "colors") or key.endswith((" finish", " colour", " color")) or not key:
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
    key = name.lower().strip()
    if key not in NAMES_ZH and " " in key:
        part, _, prop = key.rpartition(" ")
        if part in PARTS_ZH and prop in PART_PROPERTIES_ZH:
            return PARTS_ZH[part] + PART_PROPERTIES_ZH[prop]
    return NAMES_ZH.get(key, name.strip())


def fact_zh(name: str, value: str) -> str:
    """"产地为肯尼亚"; a feature the product has is said as itself ("耐霜冻"), not "耐霜冻为是"."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    if YES_NO_ZH.get(value.strip().lower()) == "是" and name.lower().strip() in NAMES_ZH:
        feature = name_zh(name)
        return feature if feature.startswith(PREDICATES_ZH) else f"为{feature}"  # "耐霜冻", "为纯素"
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
    if clauses[0].startswith("为") or "为" not in clauses[0]:  # a feature is said of the product itself: "X 耐霜冻", not "X 的耐霜冻"
        return (f"{subject}{space}" if subject else "它") + "，".join(clauses) + "。"
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
