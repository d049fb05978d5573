"""Query expressions: terms, signs, weights, quotes, images, and one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

from index.query import QueryError, Term, combine, parse_query


def _terms(text: str, images: tuple[str, ...] = ()) -> list[tuple[float, str | None]]:
    return [(t.weight, t.text or t.image) for t in parse_query(text, images).terms]


def test_plain_text_is_one_term():
    query = parse_query("a dog on the beach")
    assert query.terms == (Term(1.0, "a dog on the beach"),)
    assert query.is_plain_text


def test_plus_and_minus_join_terms_with_signs():
    assert _terms("beach + sunset - people") == [(1.0, "beach"), (1.0, "sunset"), (-1.0, "people")]


def test_weights_multiply_their_term():
    assert _terms("2:dog + beach - 0.5:people") == [(2.0, "dog"), (1.0, "beach"), (-0.5, "people")]
    assert _terms("2: dog") == [(2.0, "dog")]


def test_hyphenated_words_and_quoted_operators_are_text():
    assert _terms("a black-and-white photo") == [(1.0, "a black-and-white photo")]
    assert _terms('"salt + pepper" - kitchen') == [(1.0, "salt + pepper"), (-1.0, "kitchen")]
    assert _terms('"-" sign') == [(1.0, "- sign")]


def test_a_time_of_day_is_not_a_weight():
    assert _terms("10:30 at the station") == [(1.0, "10:30 at the station")]


def test_images_are_added_terms_beside_the_text():
    assert _terms("at night", ("a.jpg", "b.png")) == [
        (1.0, "a.jpg"),
        (1.0, "b.png"),
        (1.0, "at night"),
    ]
    assert parse_query("", ("a.jpg",)).images == ["a.jpg"]
    assert _terms("- people", ("a.jpg",)) == [(1.0, "a.jpg"), (-1.0, "people")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("beach +", "missing text"),
        ("+ beach + + sunset", "two operators"),
        ("- people", "cannot only subtract"),
        ('"sunset', "unclosed quote"),
        ("0:dog + beach", "more than 0"),
        ("2: + beach", "missing text"),
        ("   ", "empty"),
    ],
)
def test_malformed_expressions_get_a_one_line_error(text, message):
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_combine_weights_normalised_terms_and_normalises_the_sum():
    a, b = np.array([3.0, 0.0]), np.array([0.0, 0.5])  # different lengths: normalised first
    out = combine([2.0, -1.0], np.stack([a, b]))
    assert np.allclose(out, np.array([2.0, -1.0]) / np.sqrt(5))


def test_terms_that_cancel_out_are_refused():
    with pytest.raises(QueryError, match="cancel out"):
        combine([1.0, -1.0], np.array([[1.0, 0.0], [1.0, 0.0]]))
