"""The service charter panel (S14): one promise at a time, cycling, in the visitor's language, aloud."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.accessibility.modes import Mode
from kiosk.services.charter import CharterItem, load_charter
from kiosk.ui.charter import CharterPanel
from kiosk.ui.context import UiContext
from tests.ui.conftest import accessible_name


def panel_for(qtbot: QtBot, ctx: UiContext, **options: object) -> CharterPanel:
    panel = CharterPanel(ctx, **options)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.resize(1016, 640)
    panel.show()
    return panel


def test_the_panel_cycles_through_the_facilitys_charter(qtbot: QtBot, ctx: UiContext) -> None:
    assert ctx.config.charter_file is not None
    items = load_charter(ctx.config.charter_file)
    panel = panel_for(qtbot, ctx, interval_ms=60)
    assert panel.items == items and panel.error == ""
    assert panel.heading.text() == "고객서비스헌장"
    assert panel.title.text() == items[0].title_ko and panel.text.text() == items[0].text_ko
    assert panel.position.text() == f"1 / {len(items)}"
    assert not panel.running  # the screen that places it decides when it cycles
    with qtbot.waitSignal(panel.sig_item_changed, timeout=2000) as changed:
        panel.start()  # the first change comes from the timer, after ``interval_ms``
    assert changed.args == [1] and panel.title.text() == items[1].title_ko
    qtbot.waitUntil(lambda: panel.index == len(items) - 1, timeout=5000)
    qtbot.waitUntil(lambda: panel.index == 0, timeout=2000)  # round again
    panel.stop()
    shown = panel.index
    qtbot.wait(200)
    assert panel.index == shown


def test_the_panel_switches_language_with_the_visitor(qtbot: QtBot, ctx: UiContext) -> None:
    panel = panel_for(qtbot, ctx)
    panel.show_item(2)
    item = panel.items[2]
    ctx.set_language("en")
    assert panel.heading.text() == "Customer service charter"
    assert (panel.title.text(), panel.text.text()) == (item.title_en, item.text_en)
    assert accessible_name(panel.next_button) == "Show the next promise"
    assert panel.position.accessibleName() == f"Promise 3 of {len(panel.items)}"
    panel.set_language("ko")  # pinned: a board that shows the Korean charter whatever the visitor reads
    assert panel.title.text() == item.title_ko
    panel.set_language(None)
    assert panel.title.text() == item.title_en


def test_previous_and_next_wrap_and_pause_the_cycle(qtbot: QtBot, ctx: UiContext) -> None:
    panel = panel_for(qtbot, ctx, interval_ms=100, pause_ms=60_000)
    panel.start()
    qtbot.mouseClick(panel.previous_button, Qt.MouseButton.LeftButton)
    assert panel.index == len(panel.items) - 1  # before the first is the last
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel.index == 1 and panel.title.text() == panel.items[1].title_ko
    qtbot.wait(400)  # several intervals: the visitor is reading, the item stays
    assert panel.index == 1 and panel.running


def test_read_aloud_in_voice_mode(qtbot: QtBot, ctx: UiContext) -> None:
    panel = panel_for(qtbot, ctx)
    assert panel.read_button.isHidden()  # without voice guidance it would do nothing
    speaker = ctx.speaker
    assert speaker.wait_ready()
    ctx.toggle_mode(Mode.VOICE)
    assert panel.read_button.isVisibleTo(panel)
    assert accessible_name(panel.read_button) == "이 약속을 소리로 듣기"
    with qtbot.waitSignal(panel.sig_read_aloud, timeout=2000) as read:
        qtbot.mouseClick(panel.read_button, Qt.MouseButton.LeftButton)
    item = panel.items[0]
    assert read.args == [f"고객서비스헌장 1번째 약속. {item.title_ko}. {item.text_ko}"]
    assert speaker.spoken[-1] == read.args[0]
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)  # in voice mode a tap reads the new one
    assert speaker.spoken[-1].startswith(f"고객서비스헌장 2번째 약속. {panel.items[1].title_ko}.")


def test_charter_text_is_plain_text(qtbot: QtBot, ctx: UiContext) -> None:
    item = CharterItem("<b>굵게</b>", "<b>bold</b>", "<img src=x> 그대로", "<img src=x> as typed")
    panel = panel_for(qtbot, ctx, items=[item])
    assert panel.title.text() == "<b>굵게</b>"
    assert panel.title.textFormat() == panel.text.textFormat() == Qt.TextFormat.PlainText


def test_a_broken_charter_file_hides_the_panel_and_says_why(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    broken = tmp_path / "broken-charter.toml"
    broken.write_text('[[items]]\ntitle_ko = "인사"\n', encoding="utf-8")
    ctx.config = replace(ctx.config, charter_file=broken)
    page = QWidget()
    qtbot.addWidget(page)
    panel = CharterPanel(ctx, page)
    QVBoxLayout(page).addWidget(panel)
    page.show()
    assert panel.items == [] and not panel.isVisible()
    panel.show()  # a page that shows it with the rest
    assert not panel.isVisible()
    assert "broken-charter.toml: item 1 ('인사'): missing field 'text_ko'" in panel.error
    panel.start()
    assert not panel.running
    ctx.config = replace(ctx.config, charter_file=None)
    assert CharterPanel(ctx).items == []
