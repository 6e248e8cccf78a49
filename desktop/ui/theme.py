"""Fonts and colours shared by every screen."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_dir

# Status colours: red for lagging, amber for behind, green for on track.
STATUS_COLOURS = {
    "done": QColor("#2e7d32"),
    "on_track": QColor("#1565c0"),
    "behind": QColor("#ef6c00"),
    "far_behind": QColor("#c62828"),
    "no_data": QColor("#757575"),
    "no_target": QColor("#6a1b9a"),
}
STATUS_BACKGROUNDS = {
    "done": QColor("#e8f5e9"),
    "on_track": QColor("#e3f2fd"),
    "behind": QColor("#fff3e0"),
    "far_behind": QColor("#ffebee"),
    "no_data": QColor("#f5f5f5"),
    "no_target": QColor("#f3e5f5"),
}

_PREFERRED_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    # The same families as a desktop set to Chinese lists them.
    "微软雅黑",
    "黑体",
    "思源黑体",
    "文泉驿正黑",
    "文泉驿微米黑",
]


_translators: list[QTranslator] = []  # kept alive for as long as the program runs


def install_chinese(app: QApplication) -> None:
    """Qt's own words in Chinese: message-box buttons (确定, 是, 否, 取消), calendars, menus.

    Without this every QMessageBox says OK / Yes / No, whatever the Windows language.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _translators:
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        _translators.append(translator)
    # Words of Qt's own file dialog that its Chinese catalogue lacks (labels with
    # keyboard mnemonics) or gets wrong (文件“大小”, not “体积”), found by looking
    # at the dialog: resources/translations/kepu_qt_zh_CN.ts, compiled to .qm.
    # Installed last, so asked first.
    supplement = QTranslator(app)
    if supplement.load("kepu_qt_zh_CN", str(resource_dir() / "translations")):
        app.installTranslator(supplement)
        _translators.append(supplement)


def apply_theme(app: QApplication) -> None:
    """Pick a font that has Chinese glyphs, so no label shows boxes; Qt's own words in Chinese."""
    install_chinese(app)
    families = set(QFontDatabase.families())
    for family in _PREFERRED_FAMILIES:
        if family in families:
            font = QFont(family, 10)
            app.setFont(font)
            break
    app.setStyle("Fusion")
