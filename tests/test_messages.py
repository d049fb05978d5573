"""Lines from below app/ that arrive as text (a skip reason an older version stored in the
catalog) are shown translated when they fit a known template, and as they are otherwise."""

from __future__ import annotations

import pytest

from app.language import CHINESE, ENGLISH
from app.messages import localized_text
from app.translation import use_language


@pytest.fixture
def chinese():
    use_language(CHINESE)
    yield
    use_language(ENGLISH)


def test_a_stored_reason_with_details_is_translated_around_them(chinese):
    stored = "corrupt or truncated image: broken data stream"
    assert localized_text(stored) == "图片已损坏或不完整：broken data stream"


def test_a_stored_reason_no_template_fits_is_shown_as_it_is(chinese):
    assert localized_text("ValueError: odd") == "ValueError: odd"
