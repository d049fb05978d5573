"""The command line speaks the system locale's language (Chinese ships), with an override."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_support import REPO, run_cli

from app.language import CHINESE, ENGLISH, choose_language

LANGUAGE_VARIABLES = ("PHOTOSEARCH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run_in_locale(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """`photosearch ARGS` with only ``variables`` among the language variables."""
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**env, **variables},
        cwd=REPO,
        timeout=300,
    )


def test_help_is_chinese_under_a_chinese_locale():
    proc = run_in_locale("--help", LANG="zh_CN.UTF-8")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("用法：photosearch")  # argparse's own words too
    assert "在你自己的电脑上按语义搜索照片" in out  # the description
    assert "按文字、按图片或两者结合搜索图库" in out  # a command's help
    assert "显示此帮助信息并退出" in out and "全局选项" in out


def test_the_override_wins_over_a_chinese_locale():
    proc = run_in_locale("search", "--help", LANG="zh_CN.UTF-8", PHOTOSEARCH_LANG="en")
    assert proc.stdout.startswith("usage: photosearch search")
    assert "show only the good matches" in proc.stdout


@pytest.mark.parametrize(
    ("variables", "setting", "expected"),
    [
        ({"LANG": "en_US.UTF-8", "PHOTOSEARCH_LANG": "zh_CN"}, None, CHINESE),
        ({"LANG": "zh_CN.UTF-8", "PHOTOSEARCH_LANG": "en"}, CHINESE, ENGLISH),  # env first
        ({"LANG": "zh_CN.UTF-8"}, ENGLISH, ENGLISH),  # the window's setting beats the locale
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, None, CHINESE),  # LC_ALL first
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, None, ENGLISH),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr:zh_CN:en"}, None, CHINESE),
        ({"LANG": "C", "LANGUAGE": "zh_CN"}, None, ENGLISH),  # C ignores LANGUAGE
        ({"LANG": "zh_TW.UTF-8"}, None, CHINESE),  # the only Chinese shipped
        ({"LANG": "de_DE.UTF-8"}, None, ENGLISH),
        ({}, None, ENGLISH),
    ],
)
def test_the_language_follows_the_override_then_the_locale(variables, setting, expected):
    assert choose_language(setting, variables) == expected


def test_errors_and_usage_errors_are_chinese(tmp_path):
    env = {"PHOTOSEARCH_LANG": "zh_CN"}
    proc = run_cli("search", "dog", "-k", "0", library=tmp_path / "lib", env=env)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "photosearch：错误：-k 至少为 1"
    proc = run_cli("serch", env=env)  # argparse's own error, translated
    assert proc.returncode == 2 and "无效的选项：'serch'" in proc.stderr, proc.stderr
