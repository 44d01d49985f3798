"""Building the recommendation lists: train, precompute every list, refresh one customer or product.

Four models feed the lists. Time-decayed popularity makes the trending
lists (shop-wide and per category), co-purchase lift the bought-together
lists, product text embeddings the similar lists, and the sequential
Transformer (SASRec) with the three others, blended, the customers'
"for you" lists. Every item keeps the strategy that put it there and the
explanation that strategy gives. The business rules of
:class:`~ecom_ai_plugin.services.recommendations.serving.ListRules` apply when lists
are built, and again when they are read.

A customer's list is refreshed after their new events with the active
version's sequential model and the stored product lists: no retraining.
"""
from __future__ import annotations

import logging
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.ml.text import BRAND_ATTRIBUTES
from ecom_ai_plugin.models import (
    Interaction,
    InteractionType,
    Job,
    ModelVersion,
    ProductEmbedding,
)
from ecom_ai_plugin.services import model_versions
from ecom_ai_plugin.services.recommendations.serving import ListRules
from ecom_ai_plugin.services.recommendations.store import (
    ALL,
    ProductFacts,
    delete_lists,
    facts_of,
    forget_subject,
    product_facts,
    purchased_products,
    read_lists,
    replace_lists,
    save_lists,
)

if TYPE_CHECKING:  # numpy loads with the models: a web server without the ML extra imports this module
    import numpy as np

logger = logging.getLogger(__name__)

KIND = "recommender"
#: Rank offset of reciprocal-rank blending: larger evens out the top ranks' weight.
BLEND_RANK_OFFSET = 10
#: A customer's latest items that seed co-purchase and similarity candidates.
RECENT_ITEMS = 10
#: Customers scored by the sequential model at once.
SCORE_BATCH = 256
#: The sequential model looks at this many of a customer's latest items.
MAX_SEQUENCE = 50
#: Item-kNN in "for you": neighbours kept per item and the shrinkage of the cosine.
KNN_NEIGHBOURS = 100
KNN_SHRINK = 10.0
KNN_FILE = "item_knn.npz"

#: (stage, done, total)
Progress = Callable[[str, int, int], None]


def _settings() -> dict[str, Any]:
    return ecom_ai_settings.RECOMMENDATIONS


def list_item(
    product_key: str, score: float, strategy: str, code: str, params: dict[str, Any], category: str = ""
) -> dict[str, Any]:
    """One stored list entry."""
    return {
        "product_key": product_key,
        "score": round(float(score), 6),
        "strategy": strategy,
        "category": category,
        "explanation_code": code,
        "explanation_params": params,
    }


def default_rules(bought: Iterable[str] = ()) -> ListRules:
    config = _settings()
    return ListRules(
        max_per_category=config["MAX_PER_CATEGORY"],
        repeat_categories=set(config["REPEAT_PURCHASE_CATEGORIES"]),
        bought=set(bought),
    )


def apply_rules(
    candidates: Iterable[dict[str, Any]],
    facts: Mapping[str, ProductFacts],
    rules: ListRules,
    *,
    length: int,
    skip: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The first ``length`` candidates the rules allow, without ``skip`` and duplicates."""
    skip = set(skip)
    counts: Counter[str] = Counter()
    kept = []
    for item in candidates:
        current = facts.get(item["product_key"])
        if not rules.take(item["product_key"], current, counts, skip, again=item.get("strategy") == "buy_again"):
            continue
        kept.append({**item, "category": current.category})
        if len(kept) >= length:
            break
    return kept


# -- the shop's data ------------------------------------------------------------------


@dataclass
class StoreData:
    """Interactions as sequences over an item space that covers the whole catalog."""

    log: Any  # ml.recommender.data.InteractionLog
    purchases: list[set[int]]
    facts: dict[str, ProductFacts]
    vectors: np.ndarray | None
    #: product key → (attributes, price): what similar products are explained by
    details: dict[str, ProductDetails] = field(default_factory=dict)
    #: the purchases with repeats, (customer, product, epoch seconds, quantity), oldest first: "buy it again" learns from these
    purchase_rows: list[tuple[str, str, float, float]] = field(default_factory=list)
    #: the similarity the similar lists were cut at (set when they are built)
    similarity_threshold: float = 0.0
    #: categories whose buyers re-buy, as learned when the lists were built
    repeat_categories: list[str] = field(default_factory=list)
    #: the blend weights of "for you" this shop is served with (None: the configured WEIGHTS)
    served_weights: dict[str, float] | None = None

    @property
    def index(self) -> dict[str, int]:
        return {key: i for i, key in enumerate(self.log.item_keys)}


def load_store_data(*, with_vectors: bool = True) -> StoreData:
    """Every interaction, the catalog's current state, and (unless not needed) the products' text vectors."""
    from ecom_ai_plugin.ml.recommender.data import build_log

    rows = list(
        Interaction.objects.order_by("occurred_at", "id").values_list("customer_key", "product_key", "occurred_at", "weight", "type")
    )
    log = build_log((customer, product, when, weight) for customer, product, when, weight, _ in rows)
    facts, details = {}, {}
    for product in get_host().iter_products():
        facts[product.key] = facts_of(product)
        details[product.key] = details_of(product)
    # Products nobody has touched yet join the item space: their text vectors place them.
    known = set(log.item_keys)
    log.item_keys.extend(key for key in facts if key not in known)
    index = {key: i for i, key in enumerate(log.item_keys)}
    users = {key: u for u, key in enumerate(log.user_keys)}
    purchases: list[set[int]] = [set() for _ in log.user_keys]
    purchase_rows = []
    for customer, product, when, weight, kind in rows:
        if kind == InteractionType.PURCHASE:
            purchases[users[customer]].add(index[product])
            purchase_rows.append((customer, product, when.timestamp(), float(weight)))
    return StoreData(
        log=log,
        purchases=purchases,
        facts=facts,
        vectors=text_vectors(log.item_keys) if with_vectors else None,
        details=details,
        purchase_rows=purchase_rows,
    )


@dataclass(frozen=True)
class ProductDetails:
    """What two similar products may share: brand, attribute values, category, price."""

    name: str
    category: str
    attributes: dict[str, tuple[str, ...]]
    price: float | None


#: Prices within this ratio of each other are "a similar price".
CLOSE_PRICE_RATIO = 1.25


def details_of(product: Any) -> ProductDetails:
    return ProductDetails(
        name=product.name,
        category=product.category or "",
        attributes={name: tuple(v for v in values if v) for name, values in (product.attributes or {}).items()},
        price=None if product.price is None else float(product.price),
    )


def shared_features(own: ProductDetails | None, other: ProductDetails | None) -> dict[str, Any]:
    """What ``other`` has in common with ``own``: the explanation of a similar product.

    ``{"brand", "attributes": [[name, value]...], "category", "close_price"}``, the
    keys present only where something is shared.
    """
    if own is None or other is None:
        return {}
    shared: dict[str, Any] = {}
    attributes = []
    for name, values in own.attributes.items():
        common = [value for value in values if value in other.attributes.get(name, ())]
        if not common:
            continue
        if name.lower() in BRAND_ATTRIBUTES:
            shared["brand"] = common[0]
        else:
            attributes.append([name, common[0]])
    if attributes:
        shared["attributes"] = attributes
    if own.category and own.category == other.category:
        shared["category"] = own.category
    if own.price and other.price and max(own.price, other.price) <= CLOSE_PRICE_RATIO * min(own.price, other.price):
        shared["close_price"] = True
    return shared


def calibrate_similarity(similarities: np.ndarray, same_category: np.ndarray, *, precision: float, floor: float) -> float:
    """The lowest similarity above which neighbours are of the product's own category at least ``precision`` of the time.

    Learned from the shop's own catalog: neighbours' similarities and whether
    each shares the product's category (a stand-in for "a shopper would call
    it similar"). At least ``floor``; where no threshold reaches the
    precision, the highest similarity tried.
    """
    import numpy as np

    if not len(similarities):
        return floor
    order = np.argsort(-similarities, kind="stable")
    sims, same = similarities[order], same_category[order].astype(np.float64)
    running = np.cumsum(same) / np.arange(1, len(same) + 1)
    # the precision of "everything at least this similar", from each similarity down
    good = np.flatnonzero(running >= precision)
    if not len(good):
        return max(floor, float(np.quantile(similarities, 0.99)))
    return max(floor, float(sims[good[-1]]))


def text_vectors(item_keys: list[str]) -> np.ndarray | None:
    """The items' text vectors in item order (a zero row where a product has none); None without any."""
    import numpy as np

    from ecom_ai_plugin.ml.embeddings import bytes_to_vector

    wanted = {key: i for i, key in enumerate(item_keys)}
    vectors: np.ndarray | None = None
    for key, dimensions, data in ProductEmbedding.objects.values_list("product_key", "dimensions", "vector").iterator(chunk_size=2000):
        if key not in wanted:
            continue
        if vectors is None:
            vectors = np.zeros((len(item_keys), dimensions), dtype=np.float32)
        if dimensions == vectors.shape[1]:
            vectors[wanted[key]] = bytes_to_vector(data)
    return vectors


# -- product lists ----------------------------------------------------------------


def trending_lists(data: StoreData) -> dict[str, list[dict[str, Any]]]:
    """Shop-wide and per-category trending lists by time-decayed popularity.

    Products nobody has bought yet follow, so a new shop's lists still fill.
    Lists are longer than the others and not capped per category when
    built: the cap is applied when a trending list is read.
    """
    import numpy as np

    from ecom_ai_plugin.ml.recommender.popularity import Popularity

    log = data.log
    scores = np.zeros(log.n_items)
    if log.n_interactions:
        popularity = Popularity(log.n_items, half_life_days=_settings()["TRENDING_HALF_LIFE_DAYS"], use_weights=True)
        scores = popularity.fit(log.sequences, log.timestamps, log.weights).scores
    order = np.argsort(-scores, kind="stable")
    length = _settings()["LIST_LENGTH"] * 2
    everywhere: list[dict[str, Any]] = []
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in order:
        key = log.item_keys[i]
        facts = data.facts.get(key)
        if facts is None or not facts.sellable:
            continue
        if len(everywhere) < length:
            everywhere.append(list_item(key, scores[i], "popularity", "trending", {}, facts.category))
        if facts.category and len(by_category[facts.category]) < length:
            by_category[facts.category].append(
                list_item(key, scores[i], "popularity", "trending_in", {"category": facts.category}, facts.category)
            )
    return {ALL: everywhere, **by_category}


def copurchase_lists(data: StoreData) -> dict[str, list[dict[str, Any]]]:
    """Bought together: the items with the highest lift, with how many customers bought both."""
    import numpy as np

    from ecom_ai_plugin.ml.recommender.copurchase import CoPurchase

    baskets = [np.fromiter(items, dtype=np.int64) for items in data.purchases if items]
    if not baskets:
        return {}
    model = CoPurchase(data.log.n_items, min_customers=_settings()["MIN_COPURCHASE_CUSTOMERS"]).fit(baskets)
    rules, length = default_rules(), _settings()["LIST_LENGTH"]
    lists = {}
    for i in np.flatnonzero(model.item_customers):
        key = data.log.item_keys[i]
        if key not in data.facts:  # gone from the shop; its interactions are being forgotten
            continue
        # Not below chance (lift 1 or more), then by what the shopper is told: how many customers bought both.
        associations = [a for a in model.related(int(i), k=length * 4) if a.lift >= 1.0]
        associations.sort(key=lambda a: (-a.customers, -a.lift, a.item))
        candidates = [
            list_item(data.log.item_keys[a.item], a.lift, "copurchase", "bought_together", {"count": a.customers})
            for a in associations
        ]
        kept = apply_rules(candidates, data.facts, rules, length=length, skip={key})
        if kept:
            lists[key] = kept
    return lists


def similar_candidates(
    key: str, name: str, vector: np.ndarray, keys: list[str], vectors: np.ndarray, k: int
) -> list[dict[str, Any]]:
    """The ``k`` products most similar in text to one product (before the rules)."""
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(vector) or 1.0)
    similarities = np.divide(vectors @ vector, norms, out=np.zeros(len(keys), dtype=np.float32), where=norms > 0)
    order = np.argsort(-similarities, kind="stable")[:k]
    return [
        list_item(keys[j], similarities[j], "content", "similar_to", {"product_key": key, "product_name": name})
        for j in order
        if similarities[j] > 0 and keys[j] != key
    ]


def content_lists(data: StoreData) -> dict[str, list[dict[str, Any]]]:
    """Similar products by text embeddings, explained by what they share: covers products nobody has bought.

    Neighbours below a similarity calibrated on the catalog
    (:func:`calibrate_similarity`) are dropped, and so are those of another
    category that share neither brand nor any attribute value; those of the
    product's own category come first, and each says what it shares (brand, attribute
    values, category, a similar price) rather than "similar to" the very
    product on the page.
    """
    import numpy as np

    from ecom_ai_plugin.ml.recommender.content import ContentSimilarity

    if data.vectors is None:
        return {}
    config = _settings()
    length = config["LIST_LENGTH"]
    content = ContentSimilarity(data.vectors)
    neighbours, similarities = content.neighbours(k=min(length * 4, max(data.log.n_items - 1, 1)))
    rules, keys = default_rules(), data.log.item_keys
    categories = np.array([data.facts[key].category if key in data.facts else "" for key in keys], dtype=object)
    valid = neighbours >= 0
    same = np.zeros_like(valid)
    same[valid] = categories[np.repeat(np.arange(len(keys)), neighbours.shape[1]).reshape(neighbours.shape)[valid]] == categories[neighbours[valid]]
    data.similarity_threshold = calibrate_similarity(
        similarities[valid], same[valid], precision=config["SIMILAR_PRECISION"], floor=config["MIN_SIMILARITY"]
    )
    lists = {}
    for i in np.flatnonzero(content.has_vector):
        key = keys[i]
        if key not in data.facts:
            continue
        own = data.details.get(key)
        scored = [(j, float(s_)) for j, s_ in zip(neighbours[i], similarities[i]) if j >= 0 and s_ >= data.similarity_threshold]
        # the product's own category first, then by similarity
        scored.sort(key=lambda pair: (categories[pair[0]] != categories[i], -pair[1]))
        candidates = []
        for j, s_ in scored:
            shared = shared_features(own, data.details.get(keys[j]))
            if categories[j] != categories[i] and not (shared.get("brand") or shared.get("attributes")):
                continue  # another category and nothing named in common: a knife is not like a grinder
            candidates.append(
                list_item(keys[j], s_, "content", "similar_shared", {"product_key": key, "product_name": own.name if own else "", **shared})
            )
        kept = apply_rules(candidates, data.facts, rules, length=length, skip={key})
        if kept:
            lists[key] = kept
    return lists


# -- "buy it again" -------------------------------------------------------------------

#: Where a version keeps what "buy it again" learned, for refreshing one customer without retraining.
BUY_AGAIN_FILE = "buy_again.json"


def buy_again_model(data: StoreData) -> Any:
    """The repeat-purchase model learned from the shop's purchases (with repeats)."""
    import numpy as np

    from ecom_ai_plugin.ml.recommender.buy_again import BuyAgain

    config = _settings()
    index = data.index
    per_customer: dict[str, tuple[list[int], list[float]]] = {}
    for customer, product, moment, _ in data.purchase_rows:
        if product in index:
            items, times = per_customer.setdefault(customer, ([], []))
            items.append(index[product])
            times.append(moment)
    keys = data.log.item_keys
    model = BuyAgain(
        len(keys),
        categories=[data.facts[key].category if key in data.facts else "" for key in keys],
        min_repeat_share=config["BUY_AGAIN_MIN_REPEAT_SHARE"],
        min_buyers=config["BUY_AGAIN_MIN_BUYERS"],
        max_interval_days=config["BUY_AGAIN_MAX_INTERVAL_DAYS"],
        repeat_categories=config["REPEAT_PURCHASE_CATEGORIES"],
        non_repeat_categories=config["NON_REPEAT_CATEGORIES"],
    )
    customers = list(per_customer)
    model.fit(
        [np.array(per_customer[c][0], dtype=np.int64) for c in customers],
        [np.array(per_customer[c][1], dtype=np.float64) for c in customers],
    )
    model.customer_keys = customers
    return model


def buy_again_items(model: Any, keys: list[str], occasions: Mapping[int, list[float]], now: float, facts: Mapping[str, ProductFacts]) -> list[dict[str, Any]]:
    """One customer's "buy it again" list: their repeatable items that are sellable, the most due first."""
    length = _settings()["LIST_LENGTH"]
    candidates = [
        list_item(
            keys[r.item],
            r.score,
            "buy_again",
            "buy_again",
            {"count": r.occasions, "days_since": round(r.days_since), "interval_days": round(r.interval_days, 1)},
        )
        for r in model.rank(occasions, now, k=length * 2)
    ]
    rules = ListRules(max_per_category=length, repeat_categories=set(), bought=set())
    return apply_rules(candidates, facts, rules, length=length)


def buy_again_lists(data: StoreData, model: Any, *, now: float | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every customer's "buy it again" list at ``now`` (default: this moment)."""
    import time

    now = time.time() if now is None else now
    lists = {}
    for customer, occasions in zip(model.customer_keys, model.occasions):
        items = buy_again_items(model, data.log.item_keys, occasions, now, data.facts)
        if items:
            lists[customer] = items
    return lists


def refresh_buy_again(customer_key: str, version: ModelVersion | None) -> int:
    """Recompute one customer's "buy it again" list from the version's stored profiles and their purchases now."""
    import json
    import time

    import numpy as np

    from ecom_ai_plugin.ml.recommender.buy_again import BuyAgain

    path = model_versions.artifact_folder(version) / BUY_AGAIN_FILE if version is not None else None
    if path is None or not path.is_file():
        return 0
    model, keys = BuyAgain.from_profiles(json.loads(path.read_text(encoding="utf-8")))
    index = {key: i for i, key in enumerate(keys)}
    rows = Interaction.objects.filter(customer_key=customer_key, type=InteractionType.PURCHASE).order_by("occurred_at", "id")
    pairs = [(index[p], when.timestamp()) for p, when in rows.values_list("product_key", "occurred_at") if p in index]
    occasions = BuyAgain.occasions_of(np.array([i for i, _ in pairs], dtype=np.int64), np.array([t for _, t in pairs])) if pairs else {}
    facts = product_facts(keys[i] for i in occasions)
    items = buy_again_items(model, keys, occasions, time.time(), facts)
    if items:
        save_lists("buy_again", {customer_key: items}, model_version=version)
    else:
        delete_lists("buy_again", [customer_key])
    return len(items)


# -- "for you": the blender -----------------------------------------------------------


@dataclass
class Candidate:
    contributions: dict[str, float] = field(default_factory=dict)
    explanations: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(self.contributions.values())

    @property
    def strategy(self) -> str:
        """The model that did most to put the item here; its explanation is shown.

        A due repeat purchase is always "buy it again": it is the customer's own product, and the rules let it through as that.
        """
        if "buy_again" in self.contributions:
            return "buy_again"
        return max(self.contributions, key=lambda name: (self.contributions[name], name))


def blend(
    history: list[str],
    bought: set[str],
    *,
    sequential: list[tuple[str, float, str | None]],
    related: Mapping[str, list[dict[str, Any]]],
    similar: Mapping[str, list[dict[str, Any]]],
    trending: list[dict[str, Any]],
    facts: Mapping[str, ProductFacts],
    rules: ListRules,
    weights: Mapping[str, float] | None = None,
    neighbours: Iterable[tuple[str, str]] = (),
    again: Iterable[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """One customer's list from the models' candidates, by weighted reciprocal rank.

    ``history`` is the customer's items, oldest first; ``sequential`` the
    sequential model's (product, score, the bought product that explains
    it) best first; ``related`` and ``similar`` the stored bought-together
    and similar lists of products; ``neighbours`` item-kNN's (product, the
    bought product most similar to it) best first; ``again`` the customer's
    "buy it again" list (blended where the version's weights serve it).
    """
    weights = _settings()["WEIGHTS"] if weights is None else weights
    candidates: dict[str, Candidate] = defaultdict(Candidate)

    def name_of(key: str) -> str:
        return facts[key].name if key in facts else ""

    def add(strategy: str, ranked: list[tuple[str, tuple[str, dict[str, Any]]]]) -> None:
        weight = float(weights.get(strategy, 0.0))
        if weight <= 0:
            return
        for rank, (key, explanation) in enumerate(ranked):
            candidates[key].contributions[strategy] = weight / (BLEND_RANK_OFFSET + rank)
            candidates[key].explanations[strategy] = explanation

    def explained_by(key: str | None) -> tuple[str, dict[str, Any]] | None:
        if key is None:
            return None
        code = "because_you_bought" if key in bought else "similar_to"
        return code, {"product_key": key, "product_name": name_of(key)}

    add("sequential", [(key, explained) for key, _, because in sequential if (explained := explained_by(because))])
    add("item_knn", [(key, ("because_you_bought", {"product_key": source, "product_name": name_of(source)})) for key, source in neighbours])
    add("buy_again", [(item["product_key"], (item["explanation_code"], item["explanation_params"])) for item in again])
    recent = list(dict.fromkeys(reversed(history)))[:RECENT_ITEMS]
    best_pair: dict[str, tuple[float, str, int]] = {}
    best_similar: dict[str, tuple[float, str]] = {}
    for source in recent:
        for item in related.get(source, []):
            if item["strategy"] == "copurchase" and item["score"] > best_pair.get(item["product_key"], (0.0,))[0]:
                best_pair[item["product_key"]] = (item["score"], source, int(item["explanation_params"].get("count", 0)))
        for item in similar.get(source, []):
            if item["strategy"] == "content" and item["score"] > best_similar.get(item["product_key"], (0.0,))[0]:
                best_similar[item["product_key"]] = (item["score"], source)
    add(
        "copurchase",
        [
            (key, ("because_you_bought", {"product_key": source, "product_name": name_of(source), "count": count}))
            for key, (_, source, count) in sorted(best_pair.items(), key=lambda kv: -kv[1][0])
        ],
    )
    add(
        "content",
        [
            (key, ("similar_to", {"product_key": source, "product_name": name_of(source)}))
            for key, (_, source) in sorted(best_similar.items(), key=lambda kv: -kv[1][0])
        ],
    )
    add("popularity", [(item["product_key"], (item["explanation_code"], item["explanation_params"])) for item in trending])
    ranked = sorted(candidates.items(), key=lambda kv: (-kv[1].score, kv[0]))
    items = []
    for key, candidate in ranked:
        strategy = candidate.strategy
        code, params = candidate.explanations[strategy]
        items.append(list_item(key, candidate.score, strategy, code, params))
    return apply_rules(items, facts, rules, length=_settings()["LIST_LENGTH"])


def sequential_candidates(
    recommender: Any,
    histories: list[np.ndarray],
    bought: list[set[int]],
    blocked: list[np.ndarray],
    excluded: np.ndarray,
    k: int,
) -> list[list[tuple[int, float, int | None]]]:
    """The sequential model's top ``k`` per history, each with the bought item nearest to it.

    ``excluded`` (a mask over items) nobody gets; ``blocked[u]`` (item
    indices) customer ``u`` does not get. The explaining item is the bought
    one whose learned vector is closest to the recommended item's: the
    model's own reason.
    """
    import numpy as np
    import torch

    with torch.no_grad():
        vectors = recommender.model.item_vectors()[1:].float().cpu().numpy()
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    results = []
    for start in range(0, len(histories), SCORE_BATCH):
        batch = [h[-MAX_SEQUENCE:] for h in histories[start : start + SCORE_BATCH]]
        scores = recommender.score(batch)
        for row, scored in enumerate(scores):
            scored[excluded] = -np.inf
            scored[blocked[start + row]] = -np.inf
            top = np.argsort(-scored, kind="stable")[:k]
            top = top[np.isfinite(scored[top])]
            owned = np.fromiter(bought[start + row], dtype=np.int64)
            if len(owned):
                because = owned[np.argmax(vectors[top] @ vectors[owned].T, axis=1)]
                results.append([(int(i), float(scored[i]), int(b)) for i, b in zip(top, because)])
            else:
                results.append([(int(i), float(scored[i]), None) for i in top])
    return results


def item_knn_model(sequences: list[np.ndarray], n_items: int) -> Any:
    """Item-kNN over the customers' products (sparse; 100 neighbours, shrinkage 10, as evaluated)."""
    from ecom_ai_plugin.ml.recommender.item_knn import ItemKNN

    return ItemKNN(n_items, neighbours=KNN_NEIGHBOURS, shrink=KNN_SHRINK).fit(sequences)


def item_knn_candidates(knn: Any, owned: list[np.ndarray], blocked: list[np.ndarray], excluded: np.ndarray, k: int) -> list[list[tuple[int, int]]]:
    """Item-kNN's top ``k`` per customer, each with the owned item most similar to it (its explanation)."""
    import numpy as np

    similarity = knn.similarity
    results = []
    for start in range(0, len(owned), SCORE_BATCH):
        batch = owned[start : start + SCORE_BATCH]
        scores = knn.score(batch)
        for row, scored in enumerate(scores):
            scored[excluded] = 0.0
            scored[blocked[start + row]] = 0.0
            top = np.argsort(-scored, kind="stable")[:k]
            top = top[scored[top] > 0]
            items = batch[row]
            if not len(top) or not len(items):
                results.append([])
                continue
            because = items[np.asarray(similarity[items][:, top].argmax(axis=0)).ravel()]
            results.append([(int(i), int(b)) for i, b in zip(top, because)])
    return results


def save_item_knn(folder: Any, knn: Any, item_keys: list[str]) -> None:
    """The version's item-kNN similarities (sparse) and item keys, for refreshing one customer without refitting."""
    import numpy as np

    matrix = knn.similarity
    np.savez_compressed(
        folder / KNN_FILE, data=matrix.data, indices=matrix.indices, indptr=matrix.indptr, keys=np.array(item_keys, dtype=str)
    )


def serving_item_knn(version: ModelVersion | None) -> Any:
    """The version's item-kNN, loaded once per process (None: the version has none)."""
    if version is None:
        return None
    path = model_versions.artifact_folder(version) / KNN_FILE
    if not path.is_file():
        return None
    import numpy as np
    from scipy import sparse

    from ecom_ai_plugin.ml.recommender.item_knn import ItemKNN

    with _lock:
        if version.pk not in _knn_loaded:
            _knn_loaded.clear()
            with np.load(path) as stored:
                keys = [str(key) for key in stored["keys"]]
                knn = ItemKNN(len(keys), neighbours=KNN_NEIGHBOURS, shrink=KNN_SHRINK)
                knn.similarity = sparse.csr_matrix((stored["data"], stored["indices"], stored["indptr"]), shape=(len(keys), len(keys)))
            knn.item_keys = keys
            _knn_loaded[version.pk] = knn
        return _knn_loaded[version.pk]


# -- every list at once -------------------------------------------------------------


def rebuild_lists(version: ModelVersion, *, progress: Progress | None = None) -> dict[str, int]:
    """Recompute every list from today's data with an existing version (say, one staff made active again)."""
    if version.kind != KIND or version.status != "ready":
        raise ValueError(f"{version} is not a ready recommender version.")
    data = load_store_data()
    data.served_weights = served_weights(version)
    return precompute_lists(data, serving_recommender(version), version, progress=progress or (lambda *args: None))


def precompute_lists(data: StoreData, recommender: Any, version: ModelVersion, *, progress: Progress) -> dict[str, int]:
    """Compute and store every list; lists of subjects gone from the data are deleted."""
    import json

    import numpy as np

    progress("lists", 0, 5)
    trending = trending_lists(data)
    progress("lists", 1, 5)
    related = copurchase_lists(data)
    progress("lists", 2, 5)
    similar = content_lists(data)
    progress("lists", 3, 5)
    repeats = buy_again_model(data)
    again = buy_again_lists(data, repeats)
    folder = model_versions.artifact_folder(version)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / BUY_AGAIN_FILE).write_text(json.dumps(repeats.item_profiles(data.log.item_keys)), encoding="utf-8")
    data.repeat_categories = repeats.repeat_categories_learned()
    progress("lists", 4, 5)
    knn = item_knn_model([np.fromiter(owned, dtype=np.int64) for owned in data.purchases], data.log.n_items)
    save_item_knn(folder, knn, data.log.item_keys)
    for_you = for_you_lists(data, recommender, related, similar, trending[ALL], knn=knn, again=again)
    progress("lists", 5, 5)
    with transaction.atomic():
        counts = {}
        lists_by_widget = (
            ("trending", trending), ("bought_together", related), ("similar", similar), ("for_you", for_you), ("buy_again", again)
        )
        for widget, lists in lists_by_widget:
            counts[widget] = replace_lists(widget, lists, model_version=version)
    return counts


def for_you_lists(
    data: StoreData,
    recommender: Any,
    related: Mapping[str, list[dict[str, Any]]],
    similar: Mapping[str, list[dict[str, Any]]],
    trending: list[dict[str, Any]],
    *,
    knn: Any = None,
    again: Mapping[str, list[dict[str, Any]]] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    import numpy as np

    log = data.log
    keys = log.item_keys
    repeat = set(_settings()["REPEAT_PURCHASE_CATEGORIES"])
    unsellable = np.array([not (key in data.facts and data.facts[key].sellable) for key in keys])
    blocked = [
        np.array([i for i in owned if keys[i] not in data.facts or data.facts[keys[i]].category not in repeat], dtype=np.int64)
        for owned in data.purchases
    ]
    length = _settings()["LIST_LENGTH"]
    if recommender is not None:
        ranked = sequential_candidates(recommender, log.sequences, data.purchases, blocked, unsellable, length * 2)
    else:
        ranked = [[] for _ in log.user_keys]
    owned = [np.array(sorted(items), dtype=np.int64) for items in data.purchases]
    near = item_knn_candidates(knn, owned, blocked, unsellable, length * 2) if knn is not None else [[] for _ in log.user_keys]
    again = again or {}
    lists = {}
    for u, customer in enumerate(log.user_keys):
        bought = {keys[i] for i in data.purchases[u]}
        sequential = [(keys[i], score, None if b is None else keys[b]) for i, score, b in ranked[u]]
        items = blend(
            [keys[i] for i in log.sequences[u]],
            bought,
            sequential=sequential,
            related=related,
            similar=similar,
            trending=trending,
            facts=data.facts,
            rules=default_rules(bought),
            weights=data.served_weights,
            neighbours=[(keys[i], keys[b]) for i, b in near[u]],
            again=again.get(customer, []),
        )
        if items:
            lists[customer] = items
    return lists


# -- refreshing one customer or product ---------------------------------------------

_lock = threading.Lock()
_loaded: dict[str, Any] = {}
_knn_loaded: dict[Any, Any] = {}
_owner_pid = os.getpid()


def serving_recommender(version: ModelVersion | None) -> Any:
    """The version's sequential model, loaded once per process (None: the version has none)."""
    global _owner_pid
    if version is None:
        return None
    folder = model_versions.artifact_folder(version)
    if not (folder / "model.json").is_file():
        return None
    from ecom_ai_plugin.ml.recommender.sasrec import SASRecRecommender

    with _lock:
        if os.getpid() != _owner_pid:
            _loaded.clear()
            _knn_loaded.clear()
            _owner_pid = os.getpid()
        key = str(version.pk)
        if key not in _loaded:
            _loaded.clear()  # one version in memory
            _loaded[key] = SASRecRecommender.load(folder)
        return _loaded[key]


def refresh_customer(customer_key: str) -> int:
    """Recompute one customer's "for you" list from their events now; the list's length (0: none)."""
    import numpy as np

    customer_key = str(customer_key)
    history = list(
        Interaction.objects.filter(customer_key=customer_key).order_by("occurred_at", "id").values_list("product_key", flat=True)
    )
    if not history:
        delete_lists("for_you", [customer_key])
        delete_lists("buy_again", [customer_key])
        return 0
    refresh_buy_again(customer_key, model_versions.active_version(KIND))
    history = list(dict.fromkeys(history))
    bought = purchased_products(customer_key)
    version = model_versions.active_version(KIND)
    recommender = serving_recommender(version)
    recent = list(dict.fromkeys(reversed(history)))[:RECENT_ITEMS]
    stored = read_lists([("bought_together", key) for key in recent] + [("similar", key) for key in recent] + [("trending", ALL)])
    related = {key: stored[("bought_together", key)] for key in recent}
    similar = {key: stored[("similar", key)] for key in recent}
    trending = stored[("trending", ALL)] or refresh_trending()
    sequential: list[tuple[str, float, str | None]] = []
    if recommender is not None and recommender.item_keys:
        index = {key: i for i, key in enumerate(recommender.item_keys)}
        sequence = np.array([index[key] for key in history if key in index], dtype=np.int64)
        owned = {index[key] for key in bought if key in index}
        if len(sequence):
            length = _settings()["LIST_LENGTH"] * 2
            scores = recommender.score([sequence[-MAX_SEQUENCE:]])[0]
            top = np.argsort(-scores, kind="stable")[: length * 3]
            facts = product_facts([recommender.item_keys[i] for i in top] + list(bought))
            mask = np.ones(recommender.n_items, dtype=bool)
            rules = default_rules(bought)
            for i in top:
                mask[i] = not rules.allows(facts.get(recommender.item_keys[i]), Counter())
            (ranked,) = sequential_candidates(recommender, [sequence], [owned], [np.zeros(0, dtype=np.int64)], mask, length)
            sequential = [(recommender.item_keys[i], s, None if b is None else recommender.item_keys[b]) for i, s, b in ranked]
    neighbours: list[tuple[str, str]] = []
    knn = serving_item_knn(version)
    if knn is not None:
        index = {key: i for i, key in enumerate(knn.item_keys)}
        owned = np.array(sorted(index[key] for key in history if key in index), dtype=np.int64)
        if len(owned):
            (near,) = item_knn_candidates(knn, [owned], [owned], np.zeros(knn.n_items, dtype=bool), _settings()["LIST_LENGTH"] * 2)
            neighbours = [(knn.item_keys[i], knn.item_keys[b]) for i, b in near]
    again = read_lists([("buy_again", customer_key)])[("buy_again", customer_key)]
    keys = {key for key, _, _ in sequential} | set(history) | {key for key, _ in neighbours} | {item["product_key"] for item in again}
    for lists in (related.values(), similar.values(), [trending]):
        for items in lists:
            keys.update(item["product_key"] for item in items)
    items = blend(
        history,
        bought,
        sequential=sequential,
        related=related,
        similar=similar,
        trending=trending,
        facts=product_facts(keys),
        rules=default_rules(bought),
        weights=served_weights(version),
        neighbours=neighbours,
        again=again,
    )
    if items:
        save_lists("for_you", {customer_key: items}, model_version=version)
    else:
        delete_lists("for_you", [customer_key])
    return len(items)


def served_weights(version: ModelVersion | None) -> dict[str, float] | None:
    """The "for you" weights a version chose on the shop's held-out orders (None: the configured WEIGHTS)."""
    strategies = (version.metrics or {}).get("strategies") if version is not None else None
    weights = strategies.get("served_weights") if isinstance(strategies, dict) else None
    return dict(weights) if isinstance(weights, dict) and any(weights.values()) else None


def refresh_trending() -> list[dict[str, Any]]:
    """Recount the trending lists from the interactions (no model): the shop-wide list.

    Used before the first training, so a new shop's widgets fill too.
    """
    lists = trending_lists(load_store_data(with_vectors=False))
    with transaction.atomic():
        replace_lists("trending", lists, model_version=model_versions.active_version(KIND))
    return lists[ALL]


def refresh_product(product_key: str) -> dict[str, int]:
    """Give a product (a new one, say) its similar list from its text embedding, without retraining.

    Its bought-together list waits for the next training (nobody has bought
    it with anything yet); reading one falls back to its similar list.
    """
    import numpy as np

    from ecom_ai_plugin.ml.embeddings import bytes_to_vector

    product_key = str(product_key)
    own = ProductEmbedding.objects.filter(product_key=product_key).values_list("dimensions", "vector").first()
    if own is None:
        return {"similar": 0}
    keys, rows = [], []
    for key, dimensions, data in ProductEmbedding.objects.exclude(product_key=product_key).values_list(
        "product_key", "dimensions", "vector"
    ).iterator(chunk_size=2000):
        if dimensions == own[0]:
            keys.append(key)
            rows.append(bytes_to_vector(data))
    if not rows:
        return {"similar": 0}
    length = _settings()["LIST_LENGTH"]
    own_facts = product_facts([product_key]).get(product_key)
    name = own_facts.name if own_facts else ""
    candidates = similar_candidates(product_key, name, bytes_to_vector(own[1]), keys, np.vstack(rows), length * 4)
    facts = product_facts(item["product_key"] for item in candidates)
    items = apply_rules(candidates, facts, default_rules(), length=length, skip={product_key})
    if items:
        save_lists("similar", {product_key: items}, model_version=model_versions.active_version(KIND))
    return {"similar": len(items)}


def forget_customer(customer_key: str) -> int:
    """Delete a customer's lists (database and cache)."""
    return forget_subject(str(customer_key))


def request_training(*, requested_by: Any = None, **params: Any) -> Job:
    """Queue a training run on the GPU queue (joins one already waiting or running)."""
    from ecom_ai_plugin import jobs

    # The same target as ``manage.py ecom_ai_train recommender --async``: one run at a time.
    return jobs.enqueue("train_recommender", target_type="model", target_id=KIND, params=params, requested_by=requested_by)


def request_rebuild(version: ModelVersion, *, requested_by: Any = None) -> Job:
    """Rebuild every list with ``version`` on a worker."""
    from ecom_ai_plugin import jobs

    return jobs.enqueue("rebuild_recommendation_lists", target_type="model_version", target_id=str(version.pk), requested_by=requested_by)


def request_customer_refresh(customer_key: str) -> Job:
    """Refresh a customer's list shortly: events arriving meanwhile are folded into one refresh.

    Anonymous shoppers (sessions, visitor ids) share one job for all of them
    (:func:`refresh_visitors`): any number of unknown visitors cause at most
    one job per ``REFRESH_DELAY_SECONDS``.
    """
    from ecom_ai_plugin import jobs
    from ecom_ai_plugin.services.recommendations.tracking import SESSION_PREFIX

    delay = _settings()["REFRESH_DELAY_SECONDS"]
    if str(customer_key).startswith(SESSION_PREFIX):
        return jobs.enqueue(REFRESH_VISITORS, target_type="visitors", target_id="anonymous", delay_seconds=delay)
    return jobs.enqueue("refresh_customer_recommendations", target_type="customer", target_id=str(customer_key), delay_seconds=delay)


REFRESH_VISITORS = "refresh_visitor_recommendations"


def refresh_visitors(*, since: Any = None) -> dict[str, int]:
    """Refresh the lists of the anonymous shoppers with events since the last such run (the most recent first,
    at most ``STOREFRONT['VISITOR_REFRESH_LIMIT']``)."""
    import datetime

    from django.db.models import Max
    from django.utils import timezone

    from ecom_ai_plugin.models import JobStatus
    from ecom_ai_plugin.services.recommendations.tracking import SESSION_PREFIX

    if since is None:
        last = Job.objects.filter(kind=REFRESH_VISITORS, status=JobStatus.SUCCEEDED).order_by("-started_at").values_list("started_at", flat=True).first()
        since = last or timezone.now() - datetime.timedelta(days=1)
    limit = int(ecom_ai_settings.STOREFRONT["VISITOR_REFRESH_LIMIT"])
    active = (
        Interaction.objects.filter(customer_key__startswith=SESSION_PREFIX, occurred_at__gte=since)
        .values("customer_key")
        .annotate(latest=Max("occurred_at"))
        .order_by("-latest")
        .values_list("customer_key", flat=True)[: limit + 1]
    )
    visitors = list(active)
    for customer_key in visitors[:limit]:
        refresh_customer(customer_key)
    return {"visitors": min(len(visitors), limit), "skipped": max(len(visitors) - limit, 0)}


def request_product_refresh(product_key: str) -> Job:
    from ecom_ai_plugin import jobs

    return jobs.enqueue("refresh_product_recommendations", target_type="product", target_id=str(product_key))
