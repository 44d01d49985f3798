"""Raw values as staff read them: labels, durations, rounded figures, small escaped tables."""
import datetime

from ecom_ai_plugin.admin.display import label, readable_duration, rounded, value_table


def test_labels():
    assert label("seo_title") == "SEO title"
    assert label("macro_f1") == "macro-F1"
    assert label("valid_ndcg_at_10") == "Valid NDCG@10"
    assert label("lexicon") == "Word lists"


def test_durations():
    assert readable_duration(42.15546338000013) == "42 s"
    assert readable_duration(datetime.timedelta(seconds=42.457762)) == "42 s"
    assert readable_duration(3.21) == "3.2 s"
    assert readable_duration(185) == "3 min 5 s"
    assert readable_duration(7440) == "2 h 4 min"
    assert readable_duration(None) == "—"


def test_figures_and_tables():
    assert rounded(0.87314) == "0.873" and rounded(42.15546) == "42.2" and rounded(1234567) == "1,234,567"
    assert rounded(True) == "yes" and rounded(float("nan")) == "—"
    html = value_table({"macro_f1": 0.87314, "recall": {"negative": 0.5}, "texts": ["a", "b"], "note": "<script>x</script>", "rows": [{"x": 1}]})
    assert "<th>macro-F1</th><td>0.873</td>" in html and "<th>Negative</th><td>0.500</td>" in html
    assert "<td>a, b</td>" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert "<ul" in html
    many = value_table(list(range(100)))
    assert "(75 more)" in many
    assert value_table({}) == "—" and value_table([]) == "—"
    deep = value_table({"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}})
    assert "…" in deep
