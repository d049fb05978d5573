"""`photosearch desktop install`: a valid freedesktop entry and icon that start the window
of this library from the applications menu."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cli_support import run_cli

from app.autostart.desktop_entry import exec_word


def _entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def _exec_argv(value: str) -> list[str]:
    """The Exec key's arguments, unescaped as the spec says (string level, then quoting)."""
    value = value.replace("\\\\", "\\")
    words, word, quoted, i, started = [], "", False, 0, False
    while i < len(value):
        c = value[i]
        if quoted and c == "\\":
            word, i = word + value[i + 1], i + 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if word or started:
                words.append(word)
            word, started = "", False
        else:
            word += c
        i += 1
    if word or started:
        words.append(word)
    return [w.replace("%%", "%") for w in words]


def test_install_adds_a_valid_entry_and_icon_that_start_this_librarys_window(tmp_path):
    library = tmp_path / 'my "photos" $lib'
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    proc = run_cli("desktop", "install", library=library, env=env)
    assert proc.returncode == 0, proc.stderr
    entry_file = tmp_path / "data" / "applications" / "photosearch.desktop"
    icon = tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "photosearch.svg"
    entry = _entry(entry_file)
    assert entry["Type"] == "Application" and entry["Icon"] == "photosearch"
    assert entry["Terminal"] == "false" and "Graphics" in entry["Categories"].split(";")
    assert ET.parse(icon).getroot().tag.endswith("svg")
    argv = _exec_argv(entry["Exec"])
    assert argv[0] == "env" and argv[-3:] == ["--library", str(library), "gui"]
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry_file)], capture_output=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    # the entry's command, asked for `status` instead of the window: right Python, code
    # and library (it names the library it opened)
    shown = subprocess.run([*argv[:-1], "status"], capture_output=True, text=True, timeout=300)
    assert str(library) in shown.stdout + shown.stderr

    removed = run_cli("desktop", "uninstall", env=env)
    assert removed.returncode == 0 and not entry_file.exists() and not icon.exists()


@pytest.mark.parametrize(
    ("arg", "word"),
    [
        ("/usr/bin/python3", "/usr/bin/python3"),
        ("/home/a b/lib", '"/home/a b/lib"'),
        ("100%", '"100%%"'),
        ('say "hi" $HOME', '"say \\\\"hi\\\\" \\\\$HOME"'),
    ],
)
def test_exec_words_are_quoted_as_the_spec_says(arg, word):
    assert exec_word(arg) == word
    assert _exec_argv(word) == [arg]
