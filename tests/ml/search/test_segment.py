"""A segment's scoring over many products: the similarity scan and the attribute lists it remembers."""
import numpy as np

from ecom_ai_plugin.ml.search.segment import IndexedProduct, Segment, row_dots


def test_row_dots_are_the_matrix_product_in_float32():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(5000, 384)).astype(np.float32)
    vector = rng.normal(size=384)  # float64 in: computed in the matrix's float32
    dots = row_dots(matrix, vector)
    assert dots.dtype == np.float32 and dots.shape == (5000,)
    np.testing.assert_allclose(dots, matrix @ vector.astype(np.float32), rtol=0, atol=1e-4)
    assert np.array_equal(np.argsort(-dots)[:10], np.argsort(-(matrix.astype(np.float64) @ vector))[:10])


def test_similarities_of_a_saved_segment_read_memory_mapped(tmp_path):
    rng = np.random.default_rng(4)
    vectors = rng.normal(size=(50, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    segment = Segment.build([IndexedProduct(str(i), f"product {i}", vector=vectors[i]) for i in range(50)], dimensions=16)
    segment.save(tmp_path / "segment")
    opened = Segment.load(tmp_path / "segment")
    assert isinstance(opened.vectors, np.memmap)
    np.testing.assert_allclose(opened.similarities(vectors[7]), vectors @ vectors[7], atol=1e-6)
    assert int(np.argmax(opened.similarities(vectors[7]))) == 7


def test_attribute_documents_are_remembered_and_read_only():
    products = [IndexedProduct(str(i), f"mug {i}", attributes={"Colour": ["Red" if i % 3 else "Blue"]}) for i in range(30)]
    segment = Segment.build(products, dimensions=0)
    red = segment.attribute_docs("Colour", ["Red"])
    assert list(red) == [i for i in range(30) if i % 3]
    assert segment.attribute_docs("Colour", ("Red",)) is red  # the same array, not built again
    assert not red.flags.writeable
    assert list(segment.attribute_docs("Colour", ["Blue", "Red"])) == list(range(30))
    assert len(segment.attribute_docs("Colour", ["Green"])) == 0
    assert len(segment.attribute_docs("Material", [])) == 0
