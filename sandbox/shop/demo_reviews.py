"""Demo product reviews whose words agree with their stars.

Ratings lean positive, as in real shops, but each product has a hidden
quality: poor products collect low ratings, and their complaints keep coming
back to the same weak spot (say, durability). That gives review analysis
something real to find. A few short reviews are in Chinese.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from .demo_orders import OrderSpec
from .demo_products import ProductSpec

#: rating weights (1★ … 5★) per hidden product quality
RATING_WEIGHTS = {"great": (2, 2, 6, 25, 65), "normal": (5, 5, 12, 30, 48), "poor": (26, 22, 22, 18, 12)}
#: share of reviews written in Chinese (about 30 in 1,600)
CHINESE_SHARE = 30 / 1600

ASPECTS = ("quality", "size and fit", "value for money", "delivery", "durability", "ease of use")

# Sentences per aspect and tone. Placeholders: {noun} and the agreement words
# {it} (object), {they} (subject), {It}, {this}, {is}, {was}, {has}, {s} (verb
# ending), so "socks" and "tent" both read right.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "quality": {
        "positive": (
            "The {noun} {is} really well made.",
            "Quality is much better than I expected for the price.",
            "Feels solid and well finished, no rough edges anywhere.",
            "You can tell a lot of care went into how {they} {is} made.",
            "Great quality overall, exactly as described.",
            "Excellent quality, {they} feel{s} premium.",
        ),
        "mixed": (
            "Quality is okay but nothing special.",
            "Decent quality, though the finish could be better.",
            "The {noun} {is} fine, just not as nice as the photos suggest.",
        ),
        "negative": (
            "The quality is poor, {they} feel{s} cheap.",
            "Not the quality I expected from the description.",
            "Sloppy finish and rough edges.",
            "Honestly the {noun} {is} badly made.",
        ),
    },
    "size and fit": {
        "positive": ("True to size, I ordered my usual size and {they} fit{s} perfectly.", "The sizing is spot on.", "Fits perfectly."),
        "mixed": (
            "Runs a little small, consider going one size up.",
            "Comes up slightly large, but it works.",
            "The fit is okay, a bit snug in places.",
        ),
        "negative": (
            "Runs very small, I had to send {it} back for a bigger size.",
            "Much smaller than the listed size suggests.",
            "The fit is all wrong, nothing like the size chart.",
        ),
    },
    "value for money": {
        "positive": (
            "Great value for money.",
            "Worth every cent.",
            "Cheaper than in the shops and just as good.",
            "For this price I can't fault {it}.",
        ),
        "mixed": ("A bit pricey for what {they} {is}.", "Fair price, though I've seen {it} cheaper elsewhere."),
        "negative": ("Overpriced for what you get.", "Not worth the money at all.", "You can get better for half the price."),
    },
    "delivery": {
        "positive": (
            "Arrived quickly and well packaged.",
            "Delivery was fast, next day in my case.",
            "Came in recyclable packaging with no plastic, which I appreciate.",
            "Shipping was quick and the parcel was in perfect condition.",
        ),
        "mixed": ("Delivery took a few days longer than promised.", "Packaging was a bit excessive, but {they} arrived safely."),
        "negative": ("Delivery took almost two weeks.", "The box arrived damaged.", "Arrived late and nobody answered my emails about it."),
    },
    "durability": {
        "positive": (
            "Still look{s} like new after months of use.",
            "Holding up really well after daily use.",
            "Tough and clearly built to last.",
            "I've used {it} almost every day since and {they} {has} held up perfectly.",
        ),
        "mixed": ("Showing some wear after a few months.", "Time will tell how long {they} last{s}, a bit of wear already."),
        "negative": (
            "Worn out after just three weeks.",
            "Started falling apart after a month of normal use.",
            "Fell apart after a handful of uses.",
            "Wore out far too quickly.",
        ),
    },
    "ease of use": {
        "positive": (
            "Very easy to use.",
            "Simple and practical in daily use.",
            "Easy to clean and easy to use.",
            "No learning curve at all.",
        ),
        "mixed": ("Takes a little getting used to.", "Easy enough once you figure {it} out."),
        "negative": ("Awkward and frustrating to use.", "Impractical in daily use.", "Harder to use than it should be."),
    },
}

#: "size and fit" for things measured rather than worn
DIMENSION_PHRASES: dict[str, tuple[str, ...]] = {
    "positive": (
        "The size is exactly as listed.",
        "The dimensions are just right for my space.",
        "Bigger than it looks in the photos, in a good way.",
    ),
    "mixed": ("A bit bigger than I expected.", "Slightly smaller than I pictured from the photos."),
    "negative": ("Much smaller than the listed dimensions suggest.", "Far too big for what I needed, the photos are misleading."),
}

#: kinds whose "quality" is about taste, smell or how pets take to them
SENSORY_QUALITY: dict[str, dict[str, tuple[str, ...]]] = {
    "drink": {
        "positive": (
            "Lovely flavour, fresh and aromatic.",
            "Tastes exactly like the tasting notes promise.",
            "My new daily favourite, so smooth.",
        ),
        "mixed": ("The taste is fine but a little flat.", "Nice enough, not as fresh as I hoped."),
        "negative": ("Tasted stale and bitter.", "No aroma at all, very disappointing taste."),
    },
    "dog": {
        "positive": ("My dog loves {it}.", "Our dog goes crazy for {it}.", "Even our fussy eater finishes every bit."),
        "mixed": ("Our dog eats {it}, but without much enthusiasm.", "Took a few days for our dog to accept {it}."),
        "negative": ("Our dog refused to touch {it}.", "Gave our dog an upset stomach."),
    },
    "garden": {
        "positive": ("Almost every seed germinated.", "Germination was quick and even."),
        "mixed": ("Germination was a bit patchy.", "About half of them came up."),
        "negative": ("Hardly any of them germinated.", "Nothing came up at all."),
    },
    "soil": {
        "positive": ("Good rich texture, my plants are thriving.", "Light, crumbly and holds water well."),
        "mixed": ("A bit coarse, but the plants seem happy.", "Fine, though it dries out quickly."),
        "negative": ("Full of sticks and lumps.", "Smelled sour and grew mould in the pots."),
    },
    "fuel": {
        "positive": ("Easy on the stomach, even at race pace.", "Tastes good and goes down easily."),
        "mixed": ("A bit too sweet for me.", "Fine, but the texture takes getting used to."),
        "negative": ("Too sticky and sickly sweet.", "Upset my stomach on a long run."),
    },
    "cat": {
        "positive": ("Our cat loves {it}.", "Even our fussy cat eats {it} happily."),
        "mixed": ("Our cat eats {it}, but not with much enthusiasm.", "Took our cat a week to get used to {it}."),
        "negative": ("Our cat sniffed {it} and walked away.", "Our cat refused to eat {it}."),
    },
    "body": {
        "positive": ("Smells lovely and leaves my skin soft.", "Gentle on sensitive skin, no irritation at all."),
        "mixed": ("The scent is nice but fades quickly.", "Fine, though a little drying for me."),
        "negative": ("Made my skin itch.", "The scent is overpowering and artificial."),
    },
}
SENSORY_KINDS = {
    "coffee_beans": "drink",
    "loose_tea": "drink",
    "dog_food": "dog",
    "dog_treats": "dog",
    "cat_food": "cat",
    "seeds": "garden",
    "compost": "soil",
    "energy_gels": "fuel",
    "soap": "body",
    "shampoo_bar": "body",
    "body_lotion": "body",
    "bath_salts": "body",
}

OPENERS = {
    5: ("Absolutely love {this} {noun}!", "Exactly what I was looking for.", "Brilliant purchase.", "So glad I bought {it}."),
    4: ("Very happy with {it} overall.", "Good {noun}, no real complaints.", "Pleased with this one."),
    3: ("It's okay.", "Mixed feelings about this one.", "Not bad, not great."),
    2: ("Disappointed.", "Not great, unfortunately.", "Expected more."),
    1: ("Terrible.", "Do not buy.", "Very disappointed."),
}
CLOSERS = {
    5: ("Would definitely buy again.", "Highly recommended.", "Already ordered another as a gift."),
    4: ("Would recommend.", "Would buy again.", ""),
    3: ("Might buy again if it's on sale.", "It does the job, I suppose.", ""),
    2: ("Would not buy again.", "Thinking about returning {it}.", ""),
    1: ("Returned {it} for a refund.", "Save your money.", ""),
}
REPEAT_NOTES = ("Not my first order of {it} and won't be the last.", "I keep coming back to {it}.", "Reordered again, still happy.")
TITLES = {
    5: ("Love it", "Excellent", "Perfect", "Best purchase this year", "Five stars", "Fantastic"),
    4: ("Very good", "Solid choice", "Happy with it", "Good value", "Nice"),
    3: ("Okay", "Average", "Does the job", "Mixed feelings"),
    2: ("Disappointing", "Not as described", "Meh"),
    1: ("Avoid", "Waste of money", "Broke quickly", "Very poor"),
}

CHINESE = {
    "positive": (
        "质量很好，非常满意。",
        "物流很快，包装完好。",
        "性价比很高，推荐购买！",
        "用了一个月，没有任何问题。",
        "和描述的一样，很喜欢。",
        "做工精细，值得购买。",
        "已经回购了，一如既往的好。",
        "送给朋友的礼物，他很喜欢。",
    ),
    "mixed": ("还可以，一般般。", "质量一般，价格有点贵。", "尺寸偏小，其他还好。", "发货有点慢，东西还行。"),
    "negative": (
        "质量太差了，用了几天就坏了。",
        "和图片不一样，很失望。",
        "物流太慢，等了两个星期。",
        "不值这个价钱。",
        "做工粗糙，不推荐。",
    ),
}
CHINESE_TITLES = {"positive": ("很满意", "好评", "推荐"), "mixed": ("一般", "还行"), "negative": ("差评", "失望")}


@dataclass
class ReviewSpec:
    product: int  # product index
    shopper: int  # shopper index
    rating: int
    title: str
    text: str
    language: str
    created_at: datetime.datetime


def _tone(rating: int) -> str:
    return "positive" if rating >= 4 else "mixed" if rating == 3 else "negative"


def _grammar(noun: str) -> dict[str, str]:
    plural = noun.endswith("s") and not noun.endswith("ss")
    if plural:
        return {
            "noun": noun,
            "it": "them",
            "they": "they",
            "It": "They",
            "this": "these",
            "is": "are",
            "was": "were",
            "has": "have",
            "s": "",
        }
    return {"noun": noun, "it": "it", "they": "it", "It": "It", "this": "this", "is": "is", "was": "was", "has": "has", "s": "s"}


def aspects_for(product: ProductSpec) -> list[str]:
    """Aspects a buyer of this product would plausibly talk about."""
    aspects = ["quality", "value for money", "delivery"]
    if not product.consumable:
        aspects += ["durability", "ease of use"]
    if {"Size", "Dimensions"} & set(product.attributes):
        aspects.append("size and fit")
    return aspects


def _weak_aspect(product: ProductSpec, product_index: int, seed: int) -> str:
    """The one thing a poor product keeps getting criticised for (stable per product)."""
    options = [aspect for aspect in aspects_for(product) if aspect != "delivery"]
    return random.Random(f"{seed}:weak:{product_index}").choice(options)


def _sentence(product: ProductSpec, aspect: str, tone: str, rng: random.Random) -> str:
    pool = PHRASES[aspect][tone]
    sensory = SENSORY_KINDS.get(product.kind)
    if aspect == "quality" and sensory:
        pool = SENSORY_QUALITY[sensory][tone]
    elif aspect == "size and fit" and "Size" not in product.attributes:
        pool = DIMENSION_PHRASES[tone]
    return rng.choice(pool)


def english_review(product: ProductSpec, rating: int, weak: str | None, repeat: bool, rng: random.Random) -> tuple[str, str]:
    """(title, text) in English; the tone of each sentence follows the rating."""
    aspects = aspects_for(product)
    tone = _tone(rating)
    count = rng.choice((1, 2, 2, 3))
    chosen = rng.sample(aspects, k=min(count, len(aspects)))
    if weak and rating <= 3 and weak not in chosen:
        chosen[0] = weak
    sentences = []
    if rng.random() < 0.7:
        sentences.append(rng.choice(OPENERS[rating]))
    for index, aspect in enumerate(chosen):
        aspect_tone = tone
        if rating == 3 and aspect != weak:
            aspect_tone = "positive" if index % 2 == 0 else "mixed"
        elif rating == 4 and index == len(chosen) - 1 and len(chosen) > 1 and rng.random() < 0.4:
            aspect_tone = "mixed"  # the small gripe a four-star review often has
        elif rating == 2 and index > 0 and rng.random() < 0.3:
            aspect_tone = "mixed"
        sentences.append(_sentence(product, aspect, aspect_tone, rng))
    if repeat and rating >= 4 and rng.random() < 0.5:
        sentences.append(rng.choice(REPEAT_NOTES))
    closer = rng.choice(CLOSERS[rating])
    if closer:
        sentences.append(closer)
    grammar = _grammar(product.noun)
    text = " ".join(sentence.format(**grammar) for sentence in sentences)
    title = rng.choice(TITLES[rating]) if rng.random() < 0.8 else ""
    return title, text


def chinese_review(rating: int, rng: random.Random) -> tuple[str, str]:
    tone = _tone(rating)
    sentences = rng.sample(CHINESE[tone], k=min(len(CHINESE[tone]), rng.choice((1, 2))))
    return rng.choice(CHINESE_TITLES[tone]), "".join(sentences)


def build_reviews(
    products: list[ProductSpec], orders: list[OrderSpec], count: int, seed: int, until: datetime.datetime
) -> list[ReviewSpec]:
    """Up to ``count`` reviews, at most one per (product, shopper), only for paid purchases."""
    rng = random.Random(f"{seed}:reviews")
    first_purchase: dict[tuple[int, int], datetime.datetime] = {}
    last_purchase: dict[tuple[int, int], datetime.datetime] = {}
    purchases: dict[tuple[int, int], int] = {}
    for order in orders:
        if order.shopper is None or order.status != "paid":
            continue
        for product_index in order.lines:
            key = (product_index, order.shopper)
            first_purchase.setdefault(key, order.created_at)
            last_purchase[key] = order.created_at
            purchases[key] = purchases.get(key, 0) + 1
    pairs = sorted(first_purchase)
    rng.shuffle(pairs)
    pairs = pairs[:count]
    chinese = set(rng.sample(range(len(pairs)), k=round(len(pairs) * CHINESE_SHARE)))

    reviews = []
    for position, (product_index, shopper_index) in enumerate(pairs):
        product = products[product_index]
        rating = rng.choices((1, 2, 3, 4, 5), weights=RATING_WEIGHTS[product.quality])[0]
        weak = _weak_aspect(product, product_index, seed) if product.quality == "poor" else None
        key = (product_index, shopper_index)
        repeat = purchases[key] > 1
        if position in chinese:
            title, text = chinese_review(rating, rng)
            language = "zh"
        else:
            title, text = english_review(product, rating, weak, repeat, rng)
            language = "en"
        # A repeat buyer reviews after the latest purchase, a first-time buyer after the first.
        written = (last_purchase[key] if repeat else first_purchase[key]) + datetime.timedelta(
            days=rng.randint(3, 40), hours=rng.randint(0, 23), minutes=rng.randrange(60)
        )
        reviews.append(
            ReviewSpec(
                product=product_index,
                shopper=shopper_index,
                rating=rating,
                title=title,
                text=text,
                language=language,
                created_at=min(written, until),
            )
        )
    reviews.sort(key=lambda review: review.created_at)
    return reviews
