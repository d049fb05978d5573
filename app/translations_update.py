"""Refresh the translation catalogs from the code: ``python -m app.translations_update``.

For translators and developers (needs the dev extras: Babel, and PySide6's lupdate and
lrelease). The sources of truth are the ``.po`` file (command line and shared messages,
gettext) and the ``.ts`` file (the window, Qt); this extracts new strings into them (new
entries are left empty for a translator) and compiles the ``.mo`` and ``.qm`` files the
program loads. tests/test_translations.py fails when a compiled file is stale or a string
has no translation.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.language import CHINESE
from app.translation import DOMAIN, LOCALE_DIR

APP_DIR = Path(__file__).resolve().parent
GUI_DIR = APP_DIR / "gui"
QT_DIR = GUI_DIR / "translations"
# Messages from below app/ (app.messages shows them translated): templates marked with
# N_, and the first argument of every PhrasedError raised there.
LAYERS_BELOW = (APP_DIR.parent / "engine", APP_DIR.parent / "index")
PHRASED_ROOT = "PhrasedError"
TRANSLATED = (CHINESE,)  # every shipped language but English, the source language


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def ts_path(language: str) -> Path:
    return QT_DIR / f"{DOMAIN}_{language}.ts"


def extract_template():
    """Every string marked with ``_``/``N_``/``ngettext`` under app/, and argparse's own."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir, extract_from_file

    template = Catalog(project=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(APP_DIR):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    sources = sorted(path for layer in LAYERS_BELOW for path in layer.rglob("*.py"))
    classes = {path: _classes(path) for path in sources}
    phrased = phrased_errors(classes)
    for path in sources:
        keywords = {"N_": None, **dict.fromkeys(phrased - _unphrased_names(path, classes))}
        for lineno, message, comments, _context in extract_from_file("python", path, keywords):
            where = [(path.relative_to(APP_DIR.parent).as_posix(), lineno)]
            template.add(message, None, where, auto_comments=comments)
    for lineno, message, comments, _context in extract_from_file("python", argparse.__file__):
        template.add(message, None, [("argparse.py", lineno)], auto_comments=comments)
    return template


def _classes(path: Path) -> dict[str, set[str]]:
    """The classes ``path`` defines, with the names of their bases."""
    found = re.findall(r"^class (\w+)\(([^)]*)\)", path.read_text(encoding="utf-8"), re.M)
    return {
        name: {base.strip().split(".")[-1] for base in bases.split(",")} for name, bases in found
    }


def _unphrased_names(path: Path, classes: dict[Path, dict[str, set[str]]]) -> set[str]:
    """Class names ``path`` defines or imports from a module of the layers below that are
    not phrased, though a phrased class elsewhere has the name (the demo's QueryError)."""
    phrased = phrased_errors(classes)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = [path] + [
        APP_DIR.parent / (node.module.replace(".", "/") + ".py")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    ]
    return {
        name
        for module in modules
        for name, bases in classes.get(module, {}).items()
        if not bases & phrased and name != PHRASED_ROOT
    }


def phrased_errors(classes: dict[Path, dict[str, set[str]]]) -> set[str]:
    """The names of the classes that derive from PhrasedError."""
    found = {PHRASED_ROOT}
    while True:
        grown = {
            name
            for defined in classes.values()
            for name, bases in defined.items()
            if bases & found and name not in found
        }
        if not grown:
            return found
        found |= grown


def read_po(language: str):
    from babel.messages.pofile import read_po

    with open(po_path(language), "rb") as f:
        return read_po(f, locale=language)


def compiled_mo(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update_po(language: str) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    path = po_path(language)
    catalog = read_po(language) if path.exists() else Catalog(locale=language, project=DOMAIN)
    catalog.update(extract_template(), no_fuzzy_matching=True, update_creation_date=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        write_po(f, catalog, no_location=True, ignore_obsolete=True, width=100)
    path.with_suffix(".mo").write_bytes(compiled_mo(read_po(language)))


def qt_tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease, next to this Python or on the PATH."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(beside) if beside.exists() else shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found; install PySide6")
    return found


def lupdate(ts_file: Path) -> None:
    """Bring ``ts_file`` up to date with the window's tr() strings (no line numbers)."""
    sources = sorted(str(p) for p in GUI_DIR.glob("*.py"))
    subprocess.run(
        [qt_tool("lupdate"), *sources, "-locations", "none", "-no-obsolete", "-ts", str(ts_file)],
        check=True,
        capture_output=True,
    )


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [qt_tool("lrelease"), str(ts_file), "-qm", str(qm_file)], check=True, capture_output=True
    )


def main() -> None:
    for language in TRANSLATED:
        update_po(language)
        ts = ts_path(language)
        lupdate(ts)
        lrelease(ts, ts.with_suffix(".qm"))
        print(f"updated {po_path(language).relative_to(APP_DIR.parent)} and {ts.name}")


if __name__ == "__main__":
    main()
