from ecom_ai_plugin.ml.language import detect_language
from ecom_ai_plugin.ml.text import brand_of, clean_generated_text, name_without_brand, plain_review_text


def test_html_and_script_never_get_through():
    cleaned = clean_generated_text('<p>Fresh <b>beans</b><script>alert(1)</script></p> &lt;img src=x onerror=alert(1)&gt; done')
    assert "<" not in cleaned and "alert" not in cleaned
    assert cleaned.startswith("Fresh beans")


def test_chat_template_leaks_are_dropped():
    raw = "<|im_start|>assistant\nSure! Here is the description:\nGreat coffee.<|im_end|>\n<|im_start|>user\n"
    assert clean_generated_text(raw) == "Great coffee."


def test_paragraphs_are_kept_and_whitespace_collapsed():
    assert clean_generated_text("**Bold**  start\n\n\n  second   para ") == "Bold start\n\nsecond para"


def test_seo_limits_cut_at_a_word_boundary():
    title = clean_generated_text("Ethiopian Yirgacheffe Light Roast Whole Bean Coffee, 500 g, jasmine and bergamot notes", "seo_title")
    assert len(title) <= 70 and title.endswith("jasmine")
    description = clean_generated_text("word " * 100, "seo_description")
    assert len(description) <= 300 and description.endswith("word")


def test_language_by_script():
    assert detect_language("这些红色苹果产自波兰，净重 1 kg。") == "zh"
    assert detect_language("Fresh apples from Poland.") == "en"
    assert detect_language("りんご") == "ja"
    assert detect_language("12 345") == ""


def test_review_markup_becomes_plain_text():
    assert plain_review_text("Great<br /><br />Would buy &amp; gift<BR>again") == "Great\nWould buy & gift\nagain"
    assert plain_review_text("<p>Nice</p><p> <i>tea</i> </p>") == "Nice\ntea"
    assert plain_review_text("3 < 5 and 7 > 2") == "3 < 5 and 7 > 2", "a lone angle bracket is text"
    assert plain_review_text("") == plain_review_text(None) == ""


def test_the_brand_is_the_first_brand_attribute_and_leaves_the_name_but_never_empties_it():
    assert brand_of({"Colour": ["Red"], "Manufacturer": ["Kettle & Crane", "Other"]}) == "Kettle & Crane"
    assert brand_of({"brand": "Kettle"}) == "" and brand_of(None) == ""  # a value that is not a list is no brand
    assert name_without_brand("Kettle & Crane Pour-Over Dripper", {"Brand": ["Kettle & Crane"]}) == "Pour-Over Dripper"
    assert name_without_brand("Brightcup", {"Brand": ["Brightcup"]}) == "Brightcup"
    assert name_without_brand("Gooseneck Kettle", {"Brand": ["Aldervale"]}) == "Gooseneck Kettle"
