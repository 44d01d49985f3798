"""Word lists the grounding check recognises claims by, in English and Chinese.

Each entry maps surface forms to one canonical key, so "grey", "gray" and
"灰色" are the same colour. Countries live in :mod:`ecom_ai_plugin.ml.copy.places`.
"""
from __future__ import annotations

#: canonical colour -> English forms (lower case), Chinese forms
COLOURS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "red": (("red", "crimson", "scarlet"), ("红色", "红")),
    "blue": (("blue", "ocean blue", "ink blue", "sky blue", "royal blue", "cobalt"), ("蓝色", "蓝")),
    "navy": (("navy", "navy blue"), ("藏青色", "海军蓝")),
    "green": (("green", "forest green", "sage green", "emerald"), ("绿色", "绿")),
    "olive": (("olive", "olive green"), ("橄榄绿",)),
    "yellow": (("yellow", "mustard"), ("黄色",)),
    "orange": (("burnt orange",), ("橙色",)),
    "black": (("black", "matte black", "jet black"), ("黑色",)),
    "white": (("white", "off-white", "ivory"), ("白色",)),
    "grey": (("grey", "gray", "slate grey", "slate gray", "charcoal", "graphite"), ("灰色",)),
    "pink": (("pink", "dusty rose", "blush pink"), ("粉色", "粉红色")),
    "purple": (("purple", "violet", "lilac", "lavender"), ("紫色",)),
    "brown": (("brown", "chestnut"), ("棕色", "咖啡色")),
    "beige": (("beige", "oat", "sand", "taupe", "khaki"), ("米色", "卡其色")),
    "teal": (("teal", "turquoise"), ("青色", "蓝绿色")),
    "silver": (("silver",), ("银色",)),
    "gold": (("gold", "golden"), ("金色",)),
}

#: canonical material -> English forms, Chinese forms
MATERIALS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "cotton": (("cotton", "organic cotton"), ("棉", "纯棉")),
    "wool": (("wool", "merino", "merino wool"), ("羊毛",)),
    "cashmere": (("cashmere",), ("羊绒",)),
    "linen": (("linen",), ("亚麻",)),
    "silk": (("silk",), ("丝绸", "真丝")),
    "leather": (("leather", "full-grain leather", "suede"), ("皮革", "真皮")),
    "polyester": (("polyester",), ("聚酯纤维", "涤纶")),
    "nylon": (("nylon", "ripstop nylon"), ("尼龙",)),
    "down": (("goose down", "duck down", "down fill"), ("羽绒",)),
    "fleece": (("fleece",), ("抓绒",)),
    "bamboo": (("bamboo",), ("竹",)),
    "wood": (("oak", "walnut wood", "beech", "pine", "teak", "acacia", "solid wood", "hardwood"), ("实木", "橡木")),
    "steel": (("steel", "stainless steel", "carbon steel"), ("不锈钢", "钢")),
    "aluminium": (("aluminium", "aluminum"), ("铝",)),
    "titanium": (("titanium",), ("钛",)),
    "cast iron": (("cast iron", "cast-iron"), ("铸铁",)),
    "copper": (("copper",), ("铜",)),
    "brass": (("brass",), ("黄铜",)),
    "ceramic": (("ceramic", "porcelain", "stoneware"), ("陶瓷", "瓷")),
    "glass": (("glass", "borosilicate glass", "borosilicate"), ("玻璃",)),
    "plastic": (("plastic", "bpa-free plastic", "polypropylene", "abs"), ("塑料",)),
    "silicone": (("silicone", "food-grade silicone"), ("硅胶",)),
    "rubber": (("rubber", "natural rubber"), ("橡胶",)),
    "cork": (("cork",), ("软木",)),
    "marble": (("marble",), ("大理石",)),
    "clay": (("fibreclay", "fiberclay", "terracotta"), ("陶土",)),
}

#: "available in various sizes" and the like: a claim that several sizes exist
MULTI_SIZE_EN = r"(?:various|multiple|several|many|different|all|a range of|a variety of|a choice of|a selection of|a wide range of|range of)\s+(?:\w+\s+)?sizes"
MULTI_SIZE_ZH = r"(?:多种|各种|不同|多个|多款)(?:尺寸|尺码|规格|大小)"

#: unit (lower case) -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "mg": ("mass", 0.001), "g": ("mass", 1.0), "gram": ("mass", 1.0), "grams": ("mass", 1.0), "gsm": ("grammage", 1.0),
    "kg": ("mass", 1000.0), "kilo": ("mass", 1000.0), "kilos": ("mass", 1000.0), "kilogram": ("mass", 1000.0), "kilograms": ("mass", 1000.0),
    "lb": ("mass", 453.592), "lbs": ("mass", 453.592), "pound": ("mass", 453.592), "pounds": ("mass", 453.592),
    "oz": ("mass", 28.3495), "ounce": ("mass", 28.3495), "ounces": ("mass", 28.3495),
    "ml": ("volume", 1.0), "millilitre": ("volume", 1.0), "millilitres": ("volume", 1.0), "milliliter": ("volume", 1.0), "milliliters": ("volume", 1.0),
    "cl": ("volume", 10.0), "l": ("volume", 1000.0), "litre": ("volume", 1000.0), "litres": ("volume", 1000.0), "liter": ("volume", 1000.0), "liters": ("volume", 1000.0),
    "mm": ("length", 1.0), "cm": ("length", 10.0), "m": ("length", 1000.0), "metre": ("length", 1000.0), "metres": ("length", 1000.0),
    "meter": ("length", 1000.0), "meters": ("length", 1000.0), "km": ("length", 1_000_000.0),
    "inch": ("length", 25.4), "inches": ("length", 25.4), "ft": ("length", 304.8), "feet": ("length", 304.8), "foot": ("length", 304.8),
    "%": ("percent", 1.0), "percent": ("percent", 1.0), "per cent": ("percent", 1.0),
    "w": ("power", 1.0), "watt": ("power", 1.0), "watts": ("power", 1.0), "kw": ("power", 1000.0),
    "v": ("voltage", 1.0), "volt": ("voltage", 1.0), "volts": ("voltage", 1.0),
    "mah": ("charge", 1.0), "wh": ("energy", 1.0), "rpm": ("speed", 1.0), "db": ("loudness", 1.0), "hz": ("frequency", 1.0), "khz": ("frequency", 1000.0),
    "°c": ("temperature", 1.0), "°f": ("temperature_f", 1.0),
    "person": ("persons", 1.0), "persons": ("persons", 1.0), "people": ("persons", 1.0), "man": ("persons", 1.0),
    "piece": ("pieces", 1.0), "pieces": ("pieces", 1.0), "pcs": ("pieces", 1.0), "pack": ("pieces", 1.0),
    "page": ("pages", 1.0), "pages": ("pages", 1.0), "sheet": ("pages", 1.0), "sheets": ("pages", 1.0),
    "second": ("time", 1.0), "seconds": ("time", 1.0), "minute": ("time", 60.0), "minutes": ("time", 60.0),
    "h": ("time", 3600.0), "hour": ("time", 3600.0), "hours": ("time", 3600.0), "hr": ("time", 3600.0), "hrs": ("time", 3600.0),
    "day": ("time", 86400.0), "days": ("time", 86400.0), "week": ("time", 604800.0), "weeks": ("time", 604800.0),
    "month": ("time", 2_592_000.0), "months": ("time", 2_592_000.0), "year": ("time", 31_536_000.0), "years": ("time", 31_536_000.0),
    "cup": ("cups", 1.0), "cups": ("cups", 1.0), "serving": ("servings", 1.0), "servings": ("servings", 1.0),
}

#: Chinese units -> the English unit they stand for
UNITS_ZH: dict[str, str] = {
    "毫克": "mg", "克": "g", "千克": "kg", "公斤": "kg", "斤": "jin", "磅": "lb", "盎司": "oz",
    "毫升": "ml", "升": "l", "毫米": "mm", "厘米": "cm", "公分": "cm", "米": "m", "英寸": "inch",
    "瓦": "w", "伏": "v", "小时": "hour", "分钟": "minute", "天": "day", "年": "year", "件": "piece", "片": "piece", "页": "page", "人": "person",
}
UNITS["jin"] = ("mass", 500.0)

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "single": 1, "double": 2, "twin": 2, "dozen": 12,
}

#: what a product is: "this tent", "our coffee". Claiming another type is a claim.
PRODUCT_TYPES: tuple[str, ...] = (
    "coffee", "espresso", "tea", "grinder", "dripper", "filter", "kettle", "skillet", "pan", "pot", "knife", "cutting board",
    "scale", "jar", "bowl", "tent", "sleeping bag", "sleeping pad", "headlamp", "stove", "pole", "mug", "cup", "bottle",
    "shoe", "sneaker", "boot", "sock", "belt", "jacket", "coat", "shirt", "t-shirt", "dress", "trousers", "watch", "gel", "chair",
    "desk", "table", "lamp", "notebook", "keyboard", "mouse", "mat", "headphones", "earbuds", "speaker", "turntable",
    "stand", "cable", "charger", "brush", "bodysuit", "swaddle", "carrier", "nappy", "diaper", "wipe", "dog food", "cat food",
    "treat", "dog bed", "cat bed", "toy", "leash", "collar", "shampoo", "conditioner", "soap", "lotion", "candle", "planter",
    "seed", "hose", "glove", "backpack", "bag", "sofa", "pillow", "blanket", "rug",
)

#: coffee and tea varieties, grape and cultivar names: claimed varieties must be in the data
VARIETIES: tuple[str, ...] = (
    "arabica", "robusta", "geisha", "gesha", "typica", "caturra", "catuai", "pacamara", "sl28", "yirgacheffe", "sidamo",
    "assam", "darjeeling", "sencha", "matcha", "gyokuro", "oolong", "rooibos", "earl grey", "chamomile", "jasmine tea", "pu-erh",
    "chardonnay", "merlot", "cabernet", "pinot noir", "riesling", "sauvignon blanc",
)

#: capitalised words that start sentences or name nothing: never a brand
NOT_BRANDS = frozenset(
    "A An The This That These Those Our Your Its It We You They Every Each Made Designed Built With And Or For From By "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August "
    "September October November December Christmas Easter Morning Day Night Home Brand".split()
)
