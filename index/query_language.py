"""Which writing system a query is in, to warn when the model likely cannot read it.

Most CLIP models (ViT-B-32, RN50) were trained on English captions; a query in Chinese or
Russian returns noise from them. The demo models read English and Chinese; the
multilingual models (engine.registry) read many languages.
"""

from __future__ import annotations

import unicodedata

from index.error_text import N_

# Unicode character-name prefixes of scripts an English-only tokenizer cannot read.
CHINESE = N_("Chinese/Japanese")  # Han characters
_SCRIPTS = {
    "CJK": CHINESE,
    "HIRAGANA": N_("Japanese"),
    "KATAKANA": N_("Japanese"),
    "HANGUL": N_("Korean"),
    "CYRILLIC": N_("Cyrillic"),
    "GREEK": N_("Greek"),
    "ARABIC": N_("Arabic"),
    "HEBREW": N_("Hebrew"),
    "DEVANAGARI": N_("Devanagari"),
    "THAI": N_("Thai"),
}
SCRIPT_NAMES = tuple(dict.fromkeys(_SCRIPTS.values()))
LANGUAGE_NOTE = N_(
    "this query is in {script} script, but the model reads English only:"
    " results are likely unrelated; try the query in English"
)


def foreign_script(text: str) -> str | None:
    """The non-Latin script most of ``text``'s letters are written in, or None."""
    counts: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        letters += 1
        name = unicodedata.name(char, "")
        for prefix, script in _SCRIPTS.items():
            if name.startswith(prefix):
                counts[script] = counts.get(script, 0) + 1
                break
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count * 2 >= letters else None


def language_note(text: str) -> str | None:
    """A one-line note for a query the (English-only) model likely does not understand."""
    script = foreign_script(text)
    if script is None:
        return None
    return LANGUAGE_NOTE.format(script=script)
