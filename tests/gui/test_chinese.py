"""The window in Chinese: it follows a Chinese locale (and Qt's own buttons do too), the
Settings choice overrides the locale, Chinese file and folder names work throughout, and
Chinese text is drawn with real glyphs (a CJK font for Qt's fallback), not boxes."""

from __future__ import annotations

import shutil

import pytest
from cli_support import SHARED_PHOTOS
from PySide6.QtWidgets import QDialogButtonBox

from app.gui.results_model import PathRole
from app.gui.settings import GuiSettings
from app.gui.settings_dialog import SettingsDialog
from app.gui.translator import install_language
from app.language import CHINESE, ENGLISH

from .conftest import index_folder, open_ready

LOCALE_VARIABLES = ("PHOTOSEARCH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")


@pytest.fixture
def chinese_locale(monkeypatch, qapp):
    """The system locale is Chinese and nothing overrides it; English again afterwards."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    yield
    monkeypatch.undo()
    install_language()


def test_the_window_comes_up_in_chinese_under_a_chinese_locale(
    chinese_locale, make_window, qtbot, tmp_path
):
    assert install_language(GuiSettings.load().language) == CHINESE
    window = make_window(tmp_path / "library")
    assert window.search.placeholderText() == "描述一张照片，例如“条纹背景上的一个红色圆形”"
    assert window.settings_button.text() == "设置…"
    assert window.folders_panel.add_button.text() == "添加文件夹…"
    assert window.count_box.toolTip() == "结果数量"
    dialog = SettingsDialog(GuiSettings(), None, window)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"  # Qt's own
    assert dialog.windowTitle() == "设置"


def test_a_bad_filter_value_is_refused_in_chinese(chinese_locale, make_window, qtbot, tmp_path):
    install_language()
    window = make_window(tmp_path / "library")
    window.filter_bar.after.setText("not a date")
    with qtbot.waitSignal(window.controller.message, timeout=5_000) as shown:
        window.filter_bar.after.editingFinished.emit()
    assert shown.args[0] == "不是日期：'not a date'（请用 2024、2024-06 或 2024-07-14）"
    # a range the wrong way round names the bar's boxes, not the command line's options
    window.filter_bar.after.setText("2024-06")
    window.filter_bar.after.editingFinished.emit()
    window.filter_bar.before.setText("2024-01")
    with qtbot.waitSignal(window.controller.message, timeout=5_000) as shown:
        window.filter_bar.before.editingFinished.emit()
    assert shown.args[0] == "“起始” 必须早于 “截止”"


def test_a_bad_exclusion_pattern_is_refused_in_chinese(
    chinese_locale, make_window, qtbot, own_library
):
    install_language()
    window = make_window(own_library[0])
    panel = window.folders_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=30_000)
    panel.list.setCurrentRow(0)
    panel.exclusions_button.click()
    dialog = panel.exclusions_dialog
    assert dialog.add_button.text() == "排除"
    dialog.pattern.setText("..")
    dialog.add_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() == "无法使用的排除模式：'..'"


def test_the_settings_choice_overrides_the_locale(chinese_locale, make_window, qtbot, tmp_path):
    GuiSettings(language=ENGLISH).save()
    assert install_language(GuiSettings.load().language) == ENGLISH
    window = make_window(tmp_path / "library")
    assert window.settings_button.text() == "Settings…"
    # choosing Chinese in Settings is remembered for the next start, and said so
    dialog = SettingsDialog(window.controller.settings, None, window)
    dialog.language.setCurrentIndex(dialog.language.findData(CHINESE))
    notes: list[str] = []
    window.controller.message.connect(lambda text, _kind: notes.append(text))
    window.controller.apply_settings(dialog.value())
    assert GuiSettings.load().language == CHINESE
    assert notes == ["The new language shows the next time photosearch starts."]
    assert install_language(GuiSettings.load().language) == CHINESE


def test_chinese_file_and_folder_names_index_search_preview_and_skip(
    chinese_locale, make_window, qtbot, tmp_path
):
    install_language()
    folder = tmp_path / "海边"
    folder.mkdir()
    sources = sorted(p for p in SHARED_PHOTOS.iterdir() if p.suffix.lower() == ".jpg")[:3]
    names = ["照片一.jpg", "日落 照片.jpg", "生日蛋糕.jpg"]
    for source, name in zip(sources, names, strict=True):
        shutil.copyfile(source, folder / name)
    (folder / "坏照片.jpg").write_bytes(b"not a photo")
    window, controller = open_ready(make_window, qtbot, index_folder(tmp_path / "lib", folder))

    panel = window.folders_panel
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    assert panel.folder_texts()[0].startswith("海边\n3 张照片")
    chosen = str(folder / "照片一.jpg")
    with qtbot.waitSignal(controller.search.results_changed, timeout=30_000):
        window.results_view.similar_to_selection.emit([chosen])
    outcome = controller.search.outcome
    assert sorted(item.path for item in outcome.items) == sorted(str(folder / n) for n in names)
    assert outcome.items[0].path == chosen
    assert "与 照片一.jpg 相似的照片" in window.header.full_text()
    first = window.results_model.index(0)
    assert first.data(PathRole) == chosen
    assert not window.results_model.data(first, 1).isNull()  # the thumbnail (DecorationRole)
    qtbot.waitUntil(lambda: window.preview.path == chosen, timeout=10_000)
    assert not window.preview.image_label.pixmap().isNull()
    assert "<b>照片一.jpg</b>" in window.preview.caption.text()
    assert "位于 海边" in window.preview.caption.text()

    with qtbot.waitSignal(controller.folders.skipped_loaded, timeout=10_000):
        panel.skipped_button.click()
    assert [path for path, _reason in window.skipped_dialog.rows()] == [str(folder / "坏照片.jpg")]


def test_the_reason_a_file_was_skipped_is_chinese(chinese_locale, make_window, qtbot, tmp_path):
    install_language()
    folder = tmp_path / "photos"
    folder.mkdir()
    shutil.copyfile(next(p for p in sorted(SHARED_PHOTOS.iterdir()) if p.suffix == ".jpg"),
                    folder / "good.jpg")  # fmt: skip
    (folder / "broken.jpg").write_bytes(b"not a photo")
    window, controller = open_ready(make_window, qtbot, index_folder(tmp_path / "lib", folder))
    qtbot.waitUntil(lambda: window.folders_panel.list.count() == 1, timeout=10_000)
    with qtbot.waitSignal(controller.folders.skipped_loaded, timeout=10_000):
        window.folders_panel.skipped_button.click()
    assert window.skipped_dialog.rows() == [
        (str(folder / "broken.jpg"), "不是图片文件（无法识别的格式）")
    ]


def _drawn(text: str):
    from PySide6.QtGui import QFont, QImage, QPainter, Qt

    image = QImage(64, 32, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(QFont())  # the application's font; Qt falls back per character
    painter.drawText(4, 24, text)
    painter.end()
    return image


def test_chinese_text_is_drawn_with_real_glyphs_not_boxes(qapp):
    missing = _drawn("\U0010fffd")  # a code point no font has: Qt draws its missing-glyph box
    for char in "照片设置":
        assert _drawn(char) != missing, f"{char} is drawn as a box: no CJK font for Qt to use"
    assert _drawn("照") != _drawn("片")
