"""A word-list sentiment scorer for English and Chinese reviews.

It needs no training and no model, so review sentiment works on a fresh
install (and in tests) before any version is trained; the evaluation also
runs it as the simplest baseline. Negations flip the words that follow them
("not good"), intensifiers scale them ("very good"), and after a "but" the
second half of a sentence counts more, as readers weigh it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from ecom_ai_plugin.ml.language import detect_language

# -- English -------------------------------------------------------------------

_POSITIVE_EN = {
    3.0: "excellent outstanding superb perfect perfectly amazing awesome fantastic wonderful brilliant exceptional "
    "incredible phenomenal flawless love loved loves adore adored best delicious yummy heavenly gorgeous terrific "
    "fabulous superior magnificent stellar divine",
    2.0: "great good nice lovely beautiful tasty favorite favourite favorites happy pleased glad enjoy enjoyed enjoys "
    "recommend recommended recommends impressed impressive comfortable sturdy reliable solid satisfied "
    "pleasant fresh smooth fast quick easy helpful friendly worth worthwhile durable elegant cute fun yum addictive "
    "thank thanks thrilled delighted winner gem ideal healthy crisp rich flavorful flavourful fragrant soft warm "
    "bargain bonus",
    1.0: "fine ok okay decent fair like liked likes well clean works worked useful handy convenient pretty "
    "affordable better improved",
}

_NEGATIVE_EN = {
    3.0: "terrible horrible awful worst disgusting horrendous atrocious useless garbage trash junk hate hated hates "
    "inedible vile rancid rotten scam fraud dangerous toxic poison poisonous nasty refund returned ruined",
    2.0: "bad poor disappointing disappointed disappointment broken broke cheaply flimsy waste wasted stale defective "
    "unhappy angry annoying annoyed mediocre bland tasteless bitter sour gross weird strange sick moldy mouldy "
    "overpriced expensive wrong fake damaged leaking leaked leaks unpleasant uncomfortable unreliable fail failed "
    "fails failure problem problems complaint avoid beware regret worse sad misleading hard harsh burnt burned "
    "nasty smelly stinks stink crumbled crushed dead apart awkward frustrating badly defect defects cracked "
    "jammed nightmare",
    1.0: "meh okay-ish odd small slow late less lacking lacks missing issue issues salty greasy dry artificial "
    "chemical aftertaste noisy loud tough confusing difficult unfortunately however",
}

_NEGATORS_EN = frozenset(
    "not no never none nothing nobody neither nor cannot cant can't don't dont doesn't doesnt didn't didnt isn't isnt "
    "wasn't wasnt aren't arent weren't werent won't wont wouldn't wouldnt shouldn't shouldnt couldn't couldnt "
    "hardly barely without".split()
)

#: "feels cheap", "looked cheap": a judgement of how it is made, not of its price
_APPEARANCE_VERBS = frozenset("feel feels felt feeling look looks looked looking seem seems seemed".split())

#: "some wear", "signs of wear": wear as damage, not as clothing worn
_WEAR_SIGNS = frozenset("some of visible showing shows".split())

_INTENSIFIERS_EN = {
    "very": 1.3, "really": 1.3, "so": 1.2, "extremely": 1.5, "incredibly": 1.5, "absolutely": 1.5, "totally": 1.3,
    "super": 1.3, "truly": 1.3, "highly": 1.4, "quite": 1.1, "most": 1.2, "too": 1.2, "completely": 1.4,
    "slightly": 0.6, "somewhat": 0.7, "little": 0.7, "bit": 0.7, "kinda": 0.7, "fairly": 0.8,
}

# -- Chinese -------------------------------------------------------------------

_POSITIVE_ZH = {
    3.0: "非常好 很好 太好了 完美 超级好 特别好 优秀 极好 棒极了 惊艳 喜欢 很喜欢 非常喜欢 超赞 好评 五星 满意 非常满意 "
    "推荐 强烈推荐 物超所值 好吃 美味 好用 一流",
    2.0: "好 不错 挺好 还不错 漂亮 舒服 舒适 结实 耐用 方便 实惠 划算 值得 值 精致 柔软 清香 新鲜 正品 快 很快 "
    "及时 耐心 贴心 热情 好看 满足 开心 高兴 给力 赞 棒 喜爱 回购 质量好 性价比高 清晰 稳定 流畅",
    1.0: "还行 可以 一般般 还可以 凑合 行 合适 正常",
}

_NEGATIVE_ZH = {
    3.0: "太差 很差 极差 非常差 垃圾 恶心 骗子 假货 差评 失望 非常失望 太失望 坑 最差 后悔 退货 投诉 难吃 难用 "
    "变质 发霉 过期",
    2.0: "差 不好 一般 糟糕 破 坏了 损坏 破损 慢 很慢 太慢 贵 太贵 难看 粗糙 异味 臭 漏 掉色 起球 褪色 不值 "
    "不满意 不舒服 不推荐 不喜欢 问题 麻烦 敷衍 态度差 质量差 劣质 残次 瑕疵 失败 上当 无语 郁闷 生气",
    1.0: "不太好 偏小 偏大 有点 一星 小了 大了 旧 脏",
}

_NEGATORS_ZH = ("不是", "没有", "不", "没", "无", "别", "未", "非")
#: words that may stand between a negator and what it negates
_FILLERS_ZH = ("任何", "什么", "一点", "太")


def _weights(groups: dict[float, str]) -> dict[str, float]:
    return {word: weight for weight, words in groups.items() for word in words.split()}


POSITIVE_EN = _weights(_POSITIVE_EN)
NEGATIVE_EN = _weights(_NEGATIVE_EN)
POSITIVE_ZH = _weights(_POSITIVE_ZH)
NEGATIVE_ZH = _weights(_NEGATIVE_ZH)
#: Chinese entries, longest first so "很好" is matched before "好"
_ZH_ENTRIES = sorted({**{w: s for w, s in POSITIVE_ZH.items()}, **{w: -s for w, s in NEGATIVE_ZH.items()}}.items(), key=lambda kv: -len(kv[0]))

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CLAUSE = re.compile(r"[.;!?\n]+|\bbut\b|\bhowever\b|\bthough\b|\balthough\b")
_ZH_CLAUSE = re.compile(r"[。！？；;!?，,\n]+|但是|不过|可是|但")


def _score_english(text: str) -> float:
    lowered = text.lower()
    total = 0.0
    pieces = _CLAUSE.split(lowered)
    contrast_positions = [m.start() for m in re.finditer(r"\bbut\b|\bhowever\b", lowered)]
    for index, clause in enumerate(pieces):
        words = _WORD.findall(clause)
        clause_score = 0.0
        for position, word in enumerate(words):
            value = POSITIVE_EN.get(word, 0.0) - NEGATIVE_EN.get(word, 0.0)
            if word == "cheap":  # a low price is good, a cheap feel is not
                value = -2.0 if position and words[position - 1] in _APPEARANCE_VERBS else 1.0
            elif word == "wear" and position and words[position - 1] in _WEAR_SIGNS:  # "showing some wear"
                value = -1.5
            if not value:
                continue
            window = words[max(0, position - 3) : position]
            if any(w in _NEGATORS_EN or w.endswith("n't") for w in window):
                value = -0.75 * value  # "not bad" is mildly good, "not good" fairly bad
            if position and words[position - 1] in _INTENSIFIERS_EN:
                value *= _INTENSIFIERS_EN[words[position - 1]]
            clause_score += value
        # After "but" readers weigh the rest more.
        weight = 1.5 if contrast_positions and index > 0 else 1.0
        total += weight * clause_score
    total += 0.3 * min(lowered.count("!"), 3) * (1 if total > 0 else -1 if total < 0 else 0)
    return total


def _score_chinese(text: str) -> float:
    total = 0.0
    clauses = _ZH_CLAUSE.split(text)
    for index, clause in enumerate(clauses):
        clause_score = 0.0
        taken = [False] * len(clause)
        for word, value in _ZH_ENTRIES:
            start = clause.find(word)
            while start != -1:
                end = start + len(word)
                if not any(taken[start:end]):
                    for i in range(start, end):
                        taken[i] = True
                    before = clause[max(0, start - 2) : start]
                    # "没有任何问题": a quantifier may stand between the negator and the word
                    for filler in _FILLERS_ZH:
                        if before.endswith(filler):
                            before = clause[max(0, start - len(filler) - 2) : start - len(filler)]
                            break
                    # "不好" is listed itself; an unlisted negated word flips.
                    if any(before.endswith(neg) for neg in _NEGATORS_ZH) and not word.startswith(_NEGATORS_ZH):
                        value_here = -0.75 * value
                    else:
                        value_here = value
                    clause_score += value_here
                start = clause.find(word, end)
        total += (1.5 if index > 0 and len(clauses) > 1 and clause_score else 1.0) * clause_score
    return total


def lexicon_score(text: str, language: str | None = None) -> float:
    """A raw polarity sum: above zero leans positive, below negative."""
    language = language or detect_language(text or "")
    if language == "zh":
        return _score_chinese(text or "")
    return _score_english(text or "")


#: the neutral class's logit: a polarity (after squashing) must pass it to win
NEUTRAL_MARGIN = 0.8


def polarity_probabilities(strength: float) -> np.ndarray:
    """(negative, neutral, positive) as a softmax over (-s, NEUTRAL_MARGIN, +s)."""
    logits = np.array([-strength, NEUTRAL_MARGIN, strength], dtype=np.float64)
    logits -= logits.max()
    exp = np.exp(logits)
    return exp / exp.sum()


def lexicon_probabilities(texts: Sequence[str], language: str | None = None) -> np.ndarray:
    """Rows of (negative, neutral, positive) probabilities from the raw scores.

    The raw score is squashed by text length, so a long review needs more
    evidence than a one-liner.
    """
    rows = []
    for text in texts:
        raw = lexicon_score(text, language)
        words = max(1, len((text or "").split()))
        rows.append(polarity_probabilities(raw / math.sqrt(words / 8 + 1)))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), 3)
