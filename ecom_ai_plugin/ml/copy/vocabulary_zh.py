"""Attribute values in Chinese: the words the Chinese realiser says a shop's values with.

A Chinese description that says "电机为 dual motor" is half English; a shop
translates the common words and keeps only names and codes ("SK5 碳钢",
"Qi 无线充电板", "Bluetooth 5.3"). These tables hold the words the values
of a catalog are made of (materials, colours, finishes, motors, foods,
plants, features, counters), so that a value is said word by word in
Chinese order (English modifiers come before their noun, as in Chinese:
"galvanised steel" → "镀锌钢"). The grounding check's claim words stay in
:mod:`ecom_ai_plugin.ml.copy.lexicon`; nothing here makes a claim
recognised or supported.
"""
from __future__ import annotations

#: words and phrases of values, any attribute (lower case); the longest phrase is tried first
WORDS: dict[str, str] = {
    # materials and how they are made
    "stainless steel": "不锈钢", "carbon steel": "碳钢", "high-carbon steel": "高碳钢", "steel": "钢", "galvanised": "镀锌",
    "galvanized": "镀锌", "cast iron": "铸铁", "enamelled": "搪瓷", "enameled": "搪瓷", "copper-plated": "镀铜", "anodised": "阳极氧化",
    "anodized": "阳极氧化", "aluminium": "铝", "aluminum": "铝", "titanium": "钛", "carbon fibre": "碳纤维", "carbon fiber": "碳纤维",
    "borosilicate glass": "高硼硅玻璃", "glass": "玻璃", "food-grade silicone": "食品级硅胶", "silicone": "硅胶", "silicone-coated": "硅涂层",
    "natural rubber": "天然橡胶", "rubber": "橡胶", "polypropylene": "聚丙烯", "bpa-free": "不含双酚 A 的", "polyester": "聚酯纤维",
    "recycled": "再生", "elastane": "氨纶", "cotton-elastane": "棉氨纶", "jersey": "针织布", "ripstop nylon": "抗撕裂尼龙", "nylon": "尼龙",
    "organic cotton": "有机棉", "cotton": "棉", "muslin": "纱布", "waffle weave": "华夫格织", "turkish": "土耳其", "merino wool": "美利奴羊毛",
    "merino": "美利奴", "wool": "羊毛", "felt": "毡", "blend": "混纺", "cork": "软木", "bamboo": "竹", "acacia": "相思木", "oak": "橡木",
    "walnut": "胡桃木", "solid walnut": "实心胡桃木", "olive wood": "橄榄木", "pine wood": "松木", "pakkawood": "帕卡木", "wood": "木",
    "pellets": "颗粒", "bentonite clay": "膨润土", "pea fibre": "豌豆纤维", "tofu": "豆腐砂",
    "mesh": "网布", "3d mesh": "3D 网布", "breathable": "透气", "fabric": "布艺", "canvas": "帆布", "removable": "可拆卸",
    "machine washable": "可机洗", "leather": "皮革", "goatskin leather": "山羊皮", "stretch": "弹力", "lycra": "莱卡", "certified": "认证",
    "gots certified": "GOTS 认证", "damascus cladding": "大马士革钢包层", "67-layer": "67 层", "core": "钢芯", "duck down": "鸭绒",
    "fill-power": "蓬松度", "synthetic": "合成", "hollow fibre": "中空纤维", "light synthetic insulation": "轻薄合成保暖层",
    # parts
    "handle": "手柄", "bristles": "刷毛", "base": "底座", "back": "靠背", "seat": "座面", "frame": "框架", "long cuffs": "长袖口",
    "pot": "锅", "cable": "线缆", "lugs": "抓地齿", "carbon plate": "碳板",
    # colours and finishes said outside the colour table ("black POM", "white frame")
    "black": "黑色", "white": "白色", "grey": "灰色", "gray": "灰色",
    # features, shapes, kinds
    "dual motor": "双电机", "single motor": "单电机", "conical stainless steel": "不锈钢锥刀", "flat steel": "钢制平刀",
    "stepless": "无级", "hand-cranked": "手摇", "rechargeable": "充电", "lithium-ion": "锂离子电池", "wireless charging pad": "无线充电板",
    "charging port": "充电口", "desk clamp": "桌夹式", "grommet": "穿孔式", "flick-lock": "快扳锁", "twist-lock": "旋转锁",
    "bypass": "剪切式", "ratchet anvil": "棘轮砧式", "moving magnet": "动磁式", "pre-mounted": "预装", "phono": "唱放", "line": "线路",
    "switchable": "可切换", "red linear": "红轴（线性）", "full-size": "全尺寸", "tenkeyless": "无数字小键盘", "on-ear": "贴耳式",
    "over-ear": "包耳式", "closed-back": "封闭式", "mummy": "木乃伊式", "3-season": "三季", "windproof": "防风", "water-repellent": "防泼水",
    "acid-free": "无酸", "dotted": "点阵", "squared": "方格", "plain": "纯色", "plain white": "纯白", "stripes": "条纹", "stars": "星星",
    "moon": "月亮", "screw-on gas canister": "螺口气罐", "expanded": "伸展后", "ankle length": "及踝", "presets": "预设",
    "responsive": "高回弹", "balanced": "均衡", "light": "轻度", "soft": "柔软", "regular": "标准款", "long": "加长款",
    "chunks in gravy": "肉块浸肉汁", "chunks in jelly": "肉块浸肉冻",
    "seat height": "座高", "tilt": "倾仰", "armrests": "扶手", "lumbar": "腰托", "front-facing in": "面朝内前抱",
    "front-facing out": "面朝外前抱", "road": "公路", "trail": "越野山径", "men": "男士", "women": "女士", "unisex": "男女通用",
    "adult": "成年期", "senior": "老年期", "dry": "干性", "normal": "中性", "oily": "油性", "electric": "电炉", "gas": "燃气灶",
    "induction": "电磁炉", "oven": "烤箱", "all skin types": "所有肤质", "oily skin": "油性肌肤", "sensitive skin": "敏感肌肤",
    "wet-hulled": "湿刨法",
    # foods, scents, plants
    "beef": "牛肉", "chicken": "鸡肉", "duck": "鸭肉", "lamb": "羊肉", "salmon": "三文鱼", "tuna": "金枪鱼", "peanut": "花生",
    "wheat": "小麦", "rice": "大米", "brown rice": "糙米", "cola": "可乐", "mixed berry": "混合莓果", "cedar": "雪松", "dark cocoa": "黑可可",
    "spice": "香料", "cranberry": "蔓越莓", "black tea": "红茶", "plum": "李子", "milk chocolate": "牛奶巧克力", "orange": "橙子",
    "almond": "杏仁", "red apple": "红苹果", "caramel": "焦糖", "cocoa": "可可", "epsom salt": "泻盐", "dead sea salt": "死海盐",
    "eucalyptus": "桉树", "lavender": "薰衣草", "tea tree": "茶树", "vanilla": "香草", "chard": "甜菜", "pea": "豌豆", "radish": "小萝卜",
    "tomato": "番茄", "dogs": "犬只", "brass": "黄铜", "copper": "铜", "phones": "手机", "soft flasks": "软水壶",
}

#: colours said as colours (colour and finish attributes), beyond the lexicon's
COLOURS: dict[str, str] = {
    "cherry red": "樱桃红", "coral": "珊瑚色", "cream": "奶油色", "midnight blue": "午夜蓝", "neon green": "荧光绿", "orange": "橙色",
    "slate": "石板灰", "stone": "岩石灰", "tan": "棕褐色", "terracotta": "赤陶色", "volt yellow": "荧光黄", "hi-vis yellow": "高亮荧光黄",
    "brass": "黄铜色", "copper": "铜色", "brushed steel": "拉丝钢色", "black/white": "黑白色", "grey/orange": "灰橙色",
    "white frame": "白色框架", "grey mesh": "灰色网面", "oak": "橡木", "walnut": "胡桃木",
}

#: units said in Chinese after a number ("12 h" → "12 小时"); g, kg, cm, L, W and the like stay as shops print them
UNITS: dict[str, str] = {
    "h": "小时", "hours": "小时", "days": "天", "day": "天", "months": "个月", "lumens": "流明", "ohm": "欧姆", "micron": "微米",
    "in": "英寸", "persons": "人", "people": "人", "rpm": "转/分", "pages": "页", "%": "%",
}

#: what a number counts, as a Chinese counter: "200 filters" → "200 张"
COUNTERS: dict[str, str] = {
    "filters": "张", "filter": "张", "pouches": "袋", "pouch": "袋", "nappies": "片", "blankets": "条", "bottles": "个", "gels": "支",
    "gel": "支", "wipes": "片", "bodysuits": "件", "pairs": "双", "pair": "双", "toothbrushes": "支", "batteries": "节", "arm": "个支臂",
    "persons": "人", "seeds": "粒", "pieces": "件", "pages": "页", "grind settings": "档", "spray patterns": "种", "screens": "块", "flasks": "个", "soft flasks": "个", "seasons": "季",
}

#: a mode a figure holds in, said before it ("14 days smartwatch" → "智能手表模式 14 天")
MODES: dict[str, str] = {"smartwatch": "智能手表模式", "gps": "GPS 模式"}

#: nutrients said per serving ("75 mg per gel" → "每支含咖啡因 75 mg")
NUTRIENTS: dict[str, str] = {"caffeine": "咖啡因", "carbohydrate": "碳水化合物", "protein": "蛋白质", "sugar": "糖", "salt": "盐"}

MONTHS: dict[str, str] = {
    month: f"{number} 月" for number, month in enumerate(
        "january february march april may june july august september october november december".split(), start=1)
}

#: values said per attribute first (attribute, value), lower case
BY_ATTRIBUTE: dict[tuple[str, str], str] = {
    ("tea type", "green"): "绿茶", ("tea type", "black"): "红茶", ("tea type", "herbal"): "花草茶", ("tea type", "oolong"): "乌龙茶",
    ("roast level", "light"): "浅度烘焙", ("roast level", "medium"): "中度烘焙", ("roast level", "dark"): "深度烘焙",
    ("process", "washed"): "水洗", ("process", "natural"): "日晒", ("process", "honey"): "蜜处理",
    ("ruling", "plain"): "空白", ("pattern", "plain"): "纯色", ("cushioning", "medium"): "中等", ("cushioning", "light"): "轻量",
    ("grain", "rice"): "大米", ("output", "line"): "线路", ("bristle firmness", "soft"): "柔软", ("length", "ankle length"): "及踝款", ("carry positions", "back"): "后背",
}

#: values said for any attribute
ANY_ATTRIBUTE: dict[str, str] = {
    "high": "高", "medium": "中等", "low": "低", "caffeine-free": "无咖啡因", "active": "主动", "stepless": "无级",
}

#: a fact said as a whole clause, without "名称为": (attribute, value) → clause
CLAUSES: dict[tuple[str, str], str] = {
    ("power", "hand-cranked"): "采用手摇设计",
    ("caffeine", "none"): "不含咖啡因",
    ("noise cancelling", "none"): "无降噪功能",
    ("noise cancelling", "active"): "支持主动降噪",
    ("fragrance", "fragrance-free"): "不含香精",
    ("scent", "unscented"): "无香味",
    ("grain", "grain-free"): "无谷配方",
}

#: an attribute whose facts read as a verb phrase, ``{v}`` the value in Chinese
TEMPLATES: dict[str, str] = {
    "skin type": "适合{v}",
    "hair type": "适合{v}发质",
    "bristle firmness": "刷毛{v}",
    "motors": "配备{v}",
    "seeds": "含种子{v}",
    "pages": "共 {v}",
    "pieces": "套装共 {v}",
    "connectors": "配{v}接头",
    "material": "由{v}制成",
    "materials": "由{v}制成",
    "origin": "产自{v}",
    "tasting notes": "带有{v}风味",
    "process": "采用{v}处理法",
    "roast level": "采用{v}",
    "seasons": "适合{v}使用",
    "terrain": "适合在{v}上跑步",
    "gender": "为{v}款",
    "fill": "内填{v}",
    "burr type": "采用{v}磨盘",
    "cushioning": "缓震{v}",
    "brand": "来自{v}品牌",
    "hob compatibility": "适用于{v}",
    "screen size": "适用于{v}屏幕",
    "scent": "带有{v}香味",
    "connection": "通过{v}连接",
}

#: what a product is, by the words its name ends on (before a comma, "for" or "with"): the subject "这款<noun>" of a later
#: sentence; the longest ending first, a product whose name ends on none is "它"
PRODUCT_NOUNS: dict[str, str] = {
    "bodysuit": "连体衣", "wipes": "湿巾", "tent": "帐篷", "toothbrush": "牙刷", "towel": "毛巾", "bath towel": "浴巾",
    "bath sheet": "浴巾", "sheet towel": "浴巾", "hand towel": "擦手巾", "dog bed": "狗窝", "cat bed": "猫窝", "turntable": "唱机",
    "bowl set": "碗具套装", "mixing bowl set": "搅拌碗套装", "bowl": "碗", "cable": "线缆", "camping stove": "露营炉", "stove": "炉具",
    "watering can": "洒水壶", "baby carrier": "婴儿背带", "carrier": "背带", "cat food": "猫粮", "dog food": "狗粮",
    "office chair": "办公椅", "chair": "椅子", "seeds": "种子", "dripper": "滤杯", "coffee": "咖啡", "grinder": "磨豆机",
    "soap": "香皂", "compost": "堆肥", "bathrobe": "浴袍", "robe": "浴袍", "desk lamp": "台灯", "lamp": "灯", "dog toy": "狗玩具",
    "toy": "玩具", "gloves": "手套", "headlamp": "头灯", "hose": "水管", "knife": "刀", "chef's knife": "主厨刀", "cat litter": "猫砂",
    "litter": "猫砂", "body lotion": "身体乳", "lotion": "乳液", "mug": "马克杯", "nappies": "纸尿裤", "notebook": "笔记本",
    "planter": "花盆", "scratching post": "猫抓柱", "headphones": "耳机", "earbuds": "耳机", "pruning shears": "修枝剪",
    "shears": "剪刀", "keyboard": "键盘", "monitor arm": "显示器支架", "bath salts": "浴盐", "salts": "浴盐", "scale": "秤",
    "kitchen scale": "厨房秤", "skillet": "煎锅", "sleeping bag": "睡袋", "sleeping pad": "睡垫", "speaker": "音箱",
    "storage jars": "储物罐", "jars": "储物罐", "stretchy wrap": "弹力背巾", "wrap": "背巾", "tea": "茶", "dog treats": "狗零食",
    "treats": "零食", "trekking poles": "登山杖", "watch": "手表", "running belt": "跑步腰带", "belt": "腰带", "jacket": "夹克",
    "running jacket": "跑步夹克", "running shoes": "跑鞋", "shoes": "鞋", "running socks": "跑步袜", "socks": "袜子",
    "shampoo bar": "洗发皂", "headphone stand": "耳机架", "energy gels": "能量胶", "gels": "能量胶", "kettle": "手冲壶", "desk": "书桌",
    "standing desk": "升降桌", "backpack": "背包", "bottle": "水壶", "baby bottles": "奶瓶", "swaddle blankets": "包巾",
    "blankets": "毯子", "cutting board": "砧板", "brush set": "刷具套装", "jar": "储物罐", "pan": "平底锅", "pot": "锅",
}

#: values that say what the product does or resists, not what it is: said as predicates of their own
#: ("外罩材质为可拆卸聚酯纤维帆布，可机洗", not "…材质为…、可机洗")
PREDICATES: frozenset[str] = frozenset({"可机洗", "防风", "防泼水", "无酸"})

#: a yes/no feature as the product has it and as it lacks it; "" leaves the lack unsaid
FEATURES: dict[str, tuple[str, str]] = {
    # a limitation the buyer must know: said ("不耐霜冻": bring it in before the frost)
    "frost resistant": ("耐霜冻", "不耐霜冻"),
    "waterproof": ("防水", "不防水"),
    "dishwasher safe": ("可用洗碗机清洗", "不宜用洗碗机清洗"),
    "oven safe": ("可放入烤箱", "不可放入烤箱"),
    "microwave safe": ("可用于微波炉", "不可用于微波炉"),
    "machine washable": ("可机洗", "不可机洗"),
    # a label the product does not carry: no shop prints its absence
    "vegan": ("为纯素产品", ""),
    "organic": ("通过有机认证", ""),
    "peat-free": ("不含泥炭", ""),
    "gluten-free": ("不含麸质", ""),
    "bpa-free": ("不含双酚 A", ""),
}
