"""Sentences written from facts by rule: the fallback when the model's sentence fails the gate.

Each attribute becomes a clause by its type ("Material" → "is made of
stainless steel", "Origin" → "comes from Kenya"); a sentence joins the
clauses of one planned group under one subject ("The Aldervale Kettle holds
1.0 L and is made of stainless steel."). Chinese uses the same plan with
Chinese attribute names and the values said in Chinese, word by word from
:mod:`ecom_ai_plugin.ml.copy.vocabulary_zh` and the lexicon, names and codes
kept ("产自肯尼亚", "刀身材质为 SK5 碳钢", "配备双电机"), as connected prose: the
product's name opens the text once, later sentences are about "这款<noun>"
and "它", their clauses joined by 并且 and 同时 and the sentences after the
second opened by 此外, 另外, 同时. The realiser states every fact it
is given and nothing else, so what it writes passes the gate by
construction; it is plain rather than lively.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ecom_ai_plugin.ml.copy import lexicon, places, vocabulary_zh
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
NAMES_ZH["vesa"] = "VESA 孔距"


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


#: words a template's noun phrase ends at ("runs for {v} on one charge": no noun after the value)
_NOUN_PHRASE_ENDS = frozenset("for on of per in as with to from at".split())
BARE_NUMBER = re.compile(r"(?P<count>\d[\d.,]*(?:\s?[–-]\s?\d[\d.,]*)?)(?:\s+(?P<noun>[a-z]+))?")


def _numbered(key: str, template: str, shown: str) -> tuple[str, str] | None:
    """The template and value to fill, for a value that is a bare number ("3") where the template puts a noun after it.

    A bare number only counts: it reads before a plural noun ("has 40 grind
    settings", "has 1 page"), and a count of the attribute's own plural name
    qualifies the noun as a compound ("Seasons: 3" or "3 seasons" → "is made
    for 3-season use"). Anywhere else ("is made for 3 running", "is made for
    2 hair") it says nothing: ``None``, and the fact reads as a sentence of
    its own ("Its terrain is 3."). Other values pass unchanged.
    """
    number = BARE_NUMBER.fullmatch(shown)
    head = key.split()[-1] if key.split() else ""
    if not number or number["noun"] and _singular(number["noun"]) != _singular(head):
        return template, shown  # "2 persons", "3-season", "stainless steel"
    noun: list[str] = []
    for word in template.split("{v}", 1)[1].split():
        if word in _NOUN_PHRASE_ENDS:
            break
        noun.append(word)
    if not noun:
        return template, shown  # "plays at 33", "is rated 5 for water resistance"
    if _plural_noun(head) and (number["noun"] or not _plural_noun(noun[-1])):
        return template, f"{number['count']}-{_singular(head)}"  # "3-season use"
    if not _plural_noun(noun[-1]):
        return None
    if number["count"] == "1":  # "has 1 grind setting"
        before, _, after = template.partition("{v}")
        return before + "{v}" + re.sub(rf"\b{re.escape(noun[-1])}\b", _singular(noun[-1]), after, count=1), shown
    return template, shown


def _size_clause(value: str) -> str:
    """"comes in size M", "comes in size 2 (3–6 kg)", but "comes in a regular size (up to 185 cm)"."""
    head, _, rest = value.partition(" ")
    if head[:1].isdigit() or head.isupper() or head[:1].isupper() and not head[1:].islower():
        return f"comes in size {value}"
    word = head.lower()
    return f"comes in {article(word)} {word} size" + (f" {rest}" if rest else "")


#: what a capacity is counted in, said as a modifier ("a 4-person tent")
_CAPACITY_HEADS = frozenset({"person", "people", "man", "guest", "seat", "seater"})


def _modifier_clause(key: str, shown: str, product_noun: str) -> str:
    """A value that repeats its attribute's name ("3-season" for Season, "4-person" for Capacity) qualifies the product:
    "is a 3-season tent" (``product_noun``: the product's own noun, from its name), else "has a 3-season design"; "" for other values.

    Said as "has a season of 3-season" it would name the attribute twice."""
    match = re.fullmatch(r"[\w.+]+-([a-z]+)", shown)
    if not match:
        return ""
    head = _singular(match.group(1).lower())
    if not (head == _singular(key.split()[-1]) or key == "capacity" and head in _CAPACITY_HEADS):
        return ""
    if product_noun:
        return f"is {_with_article(f'{shown} {product_noun}')}"
    return f"has {article(shown)} {shown} design"


def head_noun(name: str) -> str:
    """The noun a product's name ends on, in lower case: "Summit 2-Person Tent, Olive" → "tent", "Swaddle Blankets 120 x 120 cm"
    → "blankets"; "" where it is no plain word (a code, an abbreviation) or a name before a code ("Aldervale X200": a brand)."""
    words = name.split(",")[0].split()
    head = list(words)
    while len(head) > 1 and (re.search(r"\d", head[-1]) or head[-1].lower() in _SIZE_WORDS):
        head.pop()
    last = head[-1] if head else ""
    if len(head) == 1 < len(words):
        return ""
    return last.lower() if last.isalpha() and not last.isupper() else ""


def clause_en(name: str, value: str, product_noun: str = "") -> str:
    """One fact as a predicate: "is made of stainless steel"; "" where the fact reads as a sentence of its own (:func:`own_sentence_en`).

    ``product_noun`` is the product's noun ("tent"), for a value that qualifies it ("is a 3-season tent")."""
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
    modifier = "" if key in CLAUSES_EN and key != "capacity" else _modifier_clause(key, shown, product_noun)
    if modifier:
        return modifier
    special = _special_en(key, value, shown, items)
    if special:
        return special
    template = CLAUSES_EN.get(key)
    if template:
        numbered = _numbered(key, template, shown)
        return _fill(*numbered) if numbered else ""
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


def sentence_en(subject: str, facts: Sequence[Fact], *, also: bool = False, many: bool = False, product_noun: str = "") -> str:
    """One sentence stating every fact of a group under one subject (``many``: a plural product name; ``product_noun``:
    the product's noun, see :func:`head_noun`), and after it the facts that read best with a subject of their own ("The plinth has a black finish.")."""
    stated = [(name, value, clause_en(name, value, product_noun)) for name, value in facts if clean_generated_text(value)]
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


_HAN = re.compile(r"[\u4e00-\u9fff]")
#: attributes whose values are names, said as they are ("品牌为 Aldervale")
_NAME_VALUED = frozenset({"brand", "maker", "model"})
_COLOUR_KEYS = ("colour", "color", "colours", "colors")


def _colour_attribute(key: str) -> bool:
    return key in _COLOUR_KEYS or key.endswith((" finish", " colour", " color"))


def _join_zh(parts: Sequence[str]) -> str:
    """Words joined the way Chinese is set: Han characters together, a space where they meet Latin letters or digits."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and (_HAN.match(text[-1]) and part[:1].isascii() and part[:1].isalnum()
                     or (text[-1].isascii() and text[-1].isalnum() or text[-1] == "%") and _HAN.match(part[:1])
                     or text[-1].isascii() and part[:1].isascii() and text[-1] not in "(/" and part[:1] not in ")/%"):
            text += " "
        text += part
    return re.sub(r"(\d) %", r"\1%", text)


def _lexicon_zh(value: str, key: str) -> str:
    """A colour, material or country the grounding lexicon knows, in its first Chinese form; "" when it does not."""
    lowered = value.strip().lower()
    tables = []
    if _colour_attribute(key) or not key:
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
    return ""


def _phrase_zh(phrase: str, key: str) -> str:
    """A whole phrase from the tables, the attribute's own first; "" when none has it."""
    lowered = phrase.strip().lower()
    if _colour_attribute(key) and lowered in vocabulary_zh.COLOURS:
        return vocabulary_zh.COLOURS[lowered]
    return (
        vocabulary_zh.BY_ATTRIBUTE.get((key, lowered))
        or vocabulary_zh.ANY_ATTRIBUTE.get(lowered)
        or vocabulary_zh.WORDS.get(lowered)
        or vocabulary_zh.MONTHS.get(lowered)
        or ""
    )


def _code(word: str, key: str = "") -> bool:
    """A word printed as it is in Chinese copy: numbers, codes and names ("20D", "VG-10", "USB-C", "POM", "Qi", "°C").

    Colours and materials are written in title case as display forms
    ("Coral"), so there a capital makes no name.
    """
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters or re.search(r"\d", word) or len(letters) > 1 and letters.isupper():
        return True
    return word[:1].isupper() and not (_colour_attribute(key) or "material" in key)


def _words_zh(item: str, key: str) -> str | None:
    """A value said word by word, longest phrase first; ``None`` when an ordinary word has no Chinese."""
    words = item.split()
    said: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(4, len(words) - index), 0, -1):
            phrase = " ".join(words[index:index + size])
            chinese = _phrase_zh(phrase, key) or _lexicon_zh(phrase, key)
            if chinese:
                said.append(chinese)
                index += size
                break
        else:
            word = words[index]
            after_number = bool(said) and bool(re.search(r"\d$", said[-1]))
            if after_number and word.lower() in vocabulary_zh.UNITS:
                said.append(vocabulary_zh.UNITS[word.lower()])
            elif after_number and word.lower() in vocabulary_zh.COUNTERS:
                said.append(vocabulary_zh.COUNTERS[word.lower()])
            elif _code(word, key) or after_number and (len(word) <= 3 or not word.isalpha()):  # "500 g", "1.0 L", "10 °C": units as shops print them
                said.append(word)
            else:
                return None
            index += 1
    return _join_zh(said)


def _counter(word: str) -> str:
    return vocabulary_zh.COUNTERS.get(word.lower()) or vocabulary_zh.COUNTERS.get(word.lower().rstrip("s"), "")


def _item_zh(item: str, key: str) -> str | None:
    """One value (no list) in Chinese: the tables, then the shapes values take, then word by word; ``None`` when untranslatable."""
    item = item.strip()
    if not item:
        return ""
    if key in _NAME_VALUED:
        return item
    whole = _phrase_zh(item, key) or _lexicon_zh(item, key)
    if whole:
        return whole

    def say(part: str) -> str | None:
        return _item_zh(part, key)

    shapes: list[tuple[str, Callable[[re.Match[str]], str | None]]] = [
        (r"(?P<base>.+?)\s*\((?P<aside>[^()]+)\)", lambda m: _aside_zh(say(m["base"]), say(m["aside"]))),
        (r"(?P<n>\d+)", lambda m: f"{m['n']} 号" if key in ("size", "sizes", "nappy size") else (
            _join_zh([m["n"], _counter(key)]) if _counter(key) else None)),
        (r"about (?P<q>.+)", lambda m: _join_zh(["约", say(m["q"]) or ""]) if say(m["q"]) else None),
        (r"up to (?P<q>.+)", lambda m: (_join_zh(["最高", say(m["q"]) or ""]) if key.startswith("power") or "w" in m["q"].lower().split() else _join_zh([say(m["q"]) or "", "以内"])) if say(m["q"]) else None),
        (r"(?P<n>\d+)\+ (?P<unit>\w+)", lambda m: f"{m['n']} {vocabulary_zh.UNITS[m['unit'].lower()]}以上" if m["unit"].lower() in vocabulary_zh.UNITS else None),
        (r"(?P<what>[a-z]+) over (?P<q>.+)", lambda m: f"{say(m['q'])} 以上{say(m['what'])}" if say(m["q"]) and say(m["what"]) else None),
        (r"(?P<what>dogs) (?P<q>\d.+)", lambda m: _join_zh([say(m["q"]) or "", say(m["what"]) or ""]) if say(m["q"]) else None),
        (r"(?P<q>.+?) per (?P<what>\w+)", lambda m: _join_zh([f"每{_counter(m['what'])}", say(m["q"]) or ""]) if _counter(m["what"]) and say(m["q"]) else None),
        (r"(?P<q>.+) each", lambda m: _join_zh(["每个", say(m["q"]) or ""]) if say(m["q"]) else None),
        (r"(?P<n>\d+) (?P<what>[a-z]+) of (?P<q>.+)", lambda m: _join_zh([m["n"], _counter(m["what"]), f"，每{_counter(m['what'])}", say(m["q"]) or ""]) if _counter(m["what"]) and say(m["q"]) else None),
        (r"(?P<n>\d+) (?P<what>[a-z]+)", lambda m: _join_zh([m["n"], _counter(m["what"])]) if _counter(m["what"]) else None),
        (r"(?P<a>.+) plus (?P<b>.+) in case", lambda m: f"耳机 {say(m['a'])}，充电盒另加 {say(m['b'])}" if say(m["a"]) and say(m["b"]) else None),
        (r"(?P<q>.+) with (?P<code>[A-Z]{2,})", lambda m: f"开启 {m['code']} 时 {say(m['q'])}" if say(m["q"]) else None),
        (r"(?P<q>.+) on low", lambda m: _join_zh(["低档", say(m["q"]) or ""]) if say(m["q"]) else None),
        (r"(?P<a>.+) with (?P<b>.+)", lambda m: f"{say(m['a'])}，带{say(m['b'])}" if say(m["a"]) and say(m["b"]) else None),
        (r"(?P<q>\d[\d.]* ?\w+) (?P<mode>\w+)", lambda m: _join_zh([vocabulary_zh.MODES[m["mode"].lower()], say(m["q"]) or ""]) if m["mode"].lower() in vocabulary_zh.MODES and say(m["q"]) else None),
        (r"(?P<a>[A-Za-z]+)\s?[–-]\s?(?P<b>[A-Za-z]+)", lambda m: f"{vocabulary_zh.MONTHS[m['a'].lower()]}至 {vocabulary_zh.MONTHS[m['b'].lower()]}" if m["a"].lower() in vocabulary_zh.MONTHS and m["b"].lower() in vocabulary_zh.MONTHS else None),
    ]
    for pattern, shape in shapes:
        match = re.fullmatch(pattern, item)
        if match:
            said = shape(match)
            if said:
                return said
    return _words_zh(item, key)


def _aside_zh(base: str | None, aside: str | None) -> str | None:
    """"加长款（200 cm 以内）"; an aside of codes alone keeps Latin brackets ("S (EU 35–38)")."""
    if base is None or aside is None:
        return None
    if aside.isascii():
        return f"{base} ({aside})" if base.isascii() else f"{base}（{aside}）"
    return f"{base}（{aside}）"


def _items_zh(value: str) -> list[str]:
    return [part for part in re.split(r",\s*|\s+and\s+", value) if part.strip()]


def translate_value_zh(value: str, name: str = "") -> str:
    """A value in Chinese where the tables say it (a colour, material, country, a common word of the catalog); else unchanged."""
    key = name.lower().strip()
    if value.strip().lower() in YES_NO_ZH:
        return YES_NO_ZH[value.strip().lower()]
    said = _item_zh(value, key)
    return said if said is not None and said != value.strip() else value.strip()


def value_zh(name: str, value: str) -> str:
    """A value as the Chinese realiser says it: its items in Chinese, joined by "、".

    An item with an ordinary English word the tables do not hold is quoted
    as the shop wrote it ("“Coralline”"): a Chinese sentence may cite a
    foreign word, but not be half English. Names and codes stand bare
    ("Bluetooth 5.3", "SK5 碳钢").
    """
    key = name.lower().strip()
    parts = []
    for item in _items_zh(value):
        said = _item_zh(item, key)
        parts.append(said if said is not None else f"“{item.strip()}”")
    return "、".join(parts)


def name_zh(name: str) -> str:
    key = name.lower().strip()
    if key not in NAMES_ZH and " " in key:
        part, _, prop = key.rpartition(" ")
        if part in PARTS_ZH and prop in PART_PROPERTIES_ZH:
            return PARTS_ZH[part] + PART_PROPERTIES_ZH[prop]
    return NAMES_ZH.get(key, name.strip())


def _feature_zh(name: str, yes: bool) -> str:
    """A yes/no feature as a Chinese shop prints it: "耐霜冻" / "不耐霜冻", "为纯素产品"; "" for a lack not worth printing.

    "耐霜冻为否" says "frost resistant: no" word for word; Chinese negates
    the predicate itself. A limitation the buyer has to act on is said
    ("不耐霜冻", "不宜用洗碗机清洗"); the absence of a label (not vegan,
    not organic, not peat-free) is left out, as no shop advertises what its
    product is not, and the gate's Chinese facts leave it out too.
    """
    key = name.lower().strip()
    if key in vocabulary_zh.FEATURES:
        return vocabulary_zh.FEATURES[key][0 if yes else 1]
    feature = name_zh(name)
    if feature == name.strip():  # no Chinese name: the shop's label, quoted
        return f"“{feature}”：{'是' if yes else '否'}"
    if feature.startswith(PREDICATES_ZH):  # "耐…", "防…", "可…", "无…" read as predicates
        if yes:
            return feature
        return "" if feature.startswith("无") else ("不" + feature if not feature.startswith("不") else feature[1:])
    return f"具备{feature}" if yes else ""


def _clause_zh(key: str, value: str) -> str:
    """A fact said as a verb phrase of its own ("不含咖啡因", "可容纳 4 人", "每支含咖啡因 75 mg"); "" for the "名称为值" shape."""
    lowered = value.strip().lower()
    if (key, lowered) in vocabulary_zh.CLAUSES:
        return vocabulary_zh.CLAUSES[(key, lowered)]
    per = re.fullmatch(r"(?P<q>.+?) per (?P<what>\w+)", value.strip())
    if per and key in vocabulary_zh.NUTRIENTS and _counter(per["what"]):
        return _join_zh([f"每{_counter(per['what'])}含{vocabulary_zh.NUTRIENTS[key]}", _item_zh(per["q"], key) or per["q"]])
    if key == "capacity":
        people = re.fullmatch(r"(\d+) (?:persons?|people|guests?)", lowered)
        if people:
            return f"可容纳 {people.group(1)} 人"
        phones = re.fullmatch(r"phones up to (.+)", value.strip())
        if phones and _item_zh(phones.group(1), key):
            return f"可放入 {_item_zh(phones.group(1), key)}以内的手机"
        vessel = re.fullmatch(r"(\d[\d.,]*\s?[A-Za-z]+) ([a-z]+)", value.strip())
        if vessel and vessel.group(2) in vocabulary_zh.WORDS:
            return f"配有 {vessel.group(1)} {vocabulary_zh.WORDS[vessel.group(2)]}"  # "a 1.0 L pot"
        included = re.fullmatch(r"(.+) included", value.strip())
        if included and _item_zh(included.group(1), key):
            return f"附带 {_item_zh(included.group(1), key)}"
    batteries = re.fullmatch(r"(\d+) x (\w+) batteries", value.strip())
    if key == "power" and batteries:
        return f"使用 {batteries.group(1)} 节 {batteries.group(2)} 电池"
    if lowered in ("none", "n/a"):
        return f"无{name_zh(key)}"
    return ""


def fact_zh(name: str, value: str) -> str:
    """One fact as a Chinese clause: "产地为肯尼亚", "磨盘为 38 mm 不锈钢锥刀", "耐霜冻", "不含咖啡因"; "" for a lack left unsaid."""
    name, value = clean_generated_text(name), clean_generated_text(value)
    key = name.lower().strip()
    if value.strip().lower() in YES_NO_ZH:
        return _feature_zh(name, YES_NO_ZH[value.strip().lower()] == "是")
    clause = _clause_zh(key, value)
    if clause:
        return clause
    said = value_zh(name, value).split("、")
    predicates = [part for part in said if part in vocabulary_zh.PREDICATES]
    things = "、".join(part for part in said if part not in predicates)
    if not things:  # "防风、防泼水", not "防护为防风、防泼水"
        return "、".join(predicates)
    if key in vocabulary_zh.TEMPLATES and "，" not in things:  # "由不锈钢制成", "产自肯尼亚": a verb phrase, not "名称为值"
        before, _, after = vocabulary_zh.TEMPLATES[key].partition("{v}")
        stated = _join_zh([before, things, after])
    else:
        stated = _join_zh([f"{name_zh(name)}为", things]) if things[:1].isascii() else f"{name_zh(name)}为{things}"
    return "，".join([stated, "、".join(predicates)]) if predicates else stated  # "外罩由可拆卸聚酯纤维帆布制成，可机洗"


def _stated_zh(name: str, value: str) -> str:
    """The words of ``fact_zh`` that say the value: what the gate looks for in a Chinese text."""
    clause = fact_zh(name, value)
    shown = value_zh(name, clean_generated_text(value)) if clause and value.strip().lower() not in YES_NO_ZH else ""
    return shown if shown and shown in clause else clause


#: clauses that open a sentence without "它": a quantity per item, a set's count, what comes with it
_SELF_STANDING_ZH = ("每", "套装", "附带", "配有")
#: what joins a sentence's second and third clause to the first ("…由不锈钢制成，并且容量为 1.0 L，同时…")
JOINED_ZH = ("并且", "同时")
#: what opens the third sentence on, in turn: one more group of facts about the same product
ADDED_ZH = ("此外", "另外", "同时")


def _named_zh(clause: str) -> bool:
    """A clause of the "名称为值" shape ("颜色为青色"), said of the attribute, not of the product ("为纯素产品", "耐霜冻")."""
    return "为" in clause and not clause.startswith("为")


def product_noun_zh(name: str) -> str:
    """What the product is in Chinese, from the words its name ends on ("Pour-Over Coffee Dripper, 1–2 Cups" → "滤杯",
    "Solid Shampoo Bar for Oily Hair" → "洗发皂"); "" where the vocabulary has no noun for it."""
    base = re.split(r",| for | with ", name, maxsplit=1)[0]
    words = [word.lower() for word in base.split() if not re.search(r"\d", word) and word.lower() not in _SIZE_WORDS]
    for end in range(len(words), max(0, len(words) - 2), -1):  # "Watch Pro", "Speaker Mini": the noun before a model word
        for size in (3, 2, 1):
            phrase = " ".join(words[max(0, end - size):end])
            if phrase in vocabulary_zh.PRODUCT_NOUNS:
                return vocabulary_zh.PRODUCT_NOUNS[phrase]
    return ""


def subject_zh(name: str, index: int) -> str:
    """Who the ``index``-th sentence of a Chinese text is about: the product's name once, at the start; then "这款<noun>"
    where the vocabulary has the product's noun; then "它". A Chinese text that repeats an English name reads as a list."""
    if index == 0:
        return name
    noun = product_noun_zh(name)
    return f"这款{noun}" if index == 1 and noun else "它"


def sentence_zh(subject: str, facts: Sequence[Fact], *, index: int = 0) -> str:
    """"Aldervale 手冲壶由不锈钢制成，并且容量为 1.0 L。": the facts of one group as one sentence, its clauses joined by
    并且 and 同时; from the third sentence (``index`` 2 on) it opens with 此外, 另外, 同时 in turn."""
    clauses = [clause for clause in (fact_zh(name, value) for name, value in facts if clean_generated_text(value)) if clause]
    if not clauses:
        return ""
    # what is said of the product itself first ("防风、防泼水，并且尺码为…"): after "尺码为…" it would read as said of the sizes
    clauses.sort(key=lambda clause: 2 if _named_zh(clause) else 1 if clause.startswith(_SELF_STANDING_ZH) else 0)
    by_name = bool(subject) and not index
    subject = subject or "它"
    space = " " if subject[-1:].isascii() and subject[-1:] not in " " else ""
    first = clauses[0]
    if not _named_zh(first):  # a feature is said of the product itself: "X 耐霜冻", not "X 的耐霜冻"
        head = "" if not by_name and first.startswith(_SELF_STANDING_ZH) else f"{subject}{space}"  # "每支含咖啡因 75 mg", not "它每支…"
    else:
        head = f"{subject}{space}的"  # "它的 VESA 孔距为…"
    body = _join_zh([first, *(part for number, clause in enumerate(clauses[1:]) for part in (f"，{JOINED_ZH[min(number, len(JOINED_ZH) - 1)]}", clause))])
    lead = f"{ADDED_ZH[(index - 2) % len(ADDED_ZH)]}，" if index >= 2 else ""
    return _join_zh([lead + head, body]) + "。"


def translated_attributes_zh(attributes: dict[str, Sequence[str]]) -> dict[str, list[str]]:
    """The product's attributes in Chinese words, what the Chinese realiser states and the gate counts.

    Each value is the phrase the realiser writes for it ("耐霜冻", "不含咖啡因",
    "镀锌钢"), so a Chinese text is held to its own words; a lack the
    realiser leaves unsaid is no attribute here.
    """
    translated: dict[str, list[str]] = {}
    for name, values in attributes.items():
        value = ", ".join(v for v in values if v and v.strip())
        said = _stated_zh(name, value) if value else ""
        if said:
            translated[name_zh(name)] = [said]
    return translated


def realise(subject: str, facts: Sequence[Fact], language: str, *, also: bool = False, many: bool = False, product_noun: str = "",
            index: int = 0) -> str:
    """One planned sentence (the ``index``-th of its text) in ``language``."""
    if language == "zh":
        return sentence_zh(subject, facts, index=index)
    return sentence_en(subject, facts, also=also, many=many, product_noun=product_noun)
