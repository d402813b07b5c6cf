"""The calling board on the real store: readable from across the room, a chime for each call."""

from __future__ import annotations

import subprocess
import sys
import time

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import bootstrap
from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.board import CallingBoard
from kiosk.ui.context import UiContext
from tests.ui.counter_helpers import open_board, open_console

CALL_3 = ("ticket", "call", "--counter", "3", "--json")


def test_board_shows_the_current_call_large_with_history_waiting_and_clock(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    for code, priority in (("A", None), ("A", "elderly"), ("B", None), ("C", None), ("C", None)):
        queue.issue_ticket(code, priority)
    queue.set_counter_services(2, ["B"])
    queue.set_counter_services(3, ["C"])
    queue.call_next(1)  # A-002, the elderly visitor, goes first
    queue.call_next(2)
    queue.call_next(3)
    wall = open_board(qtbot, ctx)
    assert wall.number.text() == "C-001" and wall.counter.text() == "3번 창구"
    assert not wall.priority.isVisibleTo(wall)
    assert [label.text() for label in wall.history_labels if label.isVisibleTo(wall)] == [
        "B-001  →  2번 창구",
        "A-002  →  1번 창구",
    ]
    assert wall.history_priority[1].isVisibleTo(wall) and wall.history_priority[1].text() == "★ 우선 · 어르신"
    assert not wall.history_priority[0].isVisibleTo(wall)
    assert [w.text() for w in wall.waiting_labels] == [
        "인허가 신청 대기 1명",
        "요금 납부 대기 0명",
        "일반 상담 대기 1명",
    ]
    assert wall.facility.text() == ctx.facility() and len(wall.clock.text()) == 5
    assert wall.chime.plays == 0  # opening the board does not chime for an old call

    # Readable from 10 m: the number is drawn huge, unclipped, and fills much of the width.
    qtbot.waitExposed(wall)
    number_px = wall.number.fontMetrics().horizontalAdvance(wall.number.text())
    assert wall.number.fontMetrics().height() >= 200
    assert 0.35 * wall.width() < number_px <= wall.number.contentsRect().width()
    counter_px = wall.counter.fontMetrics().horizontalAdvance(wall.counter.text())
    assert counter_px <= wall.counter.contentsRect().width()


def test_a_long_offline_number_shrinks_to_fit_the_board_and_a_short_one_is_full_size(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    wall = open_board(qtbot, ctx)
    wall.resize(1000, 700)  # a small wall screen: the number column is narrow
    qtbot.waitExposed(wall)
    wall.number.setText("B-K1-001")  # a number an offline kiosk gave (kiosk tag K1)
    qtbot.waitUntil(lambda: wall.number.fitted_px < 220, timeout=2000)
    width = wall.number.fontMetrics().horizontalAdvance("B-K1-001")
    assert width <= wall.number.contentsRect().width()  # all of it shows
    assert wall.number.fontMetrics().height() >= 100  # still large
    wall.resize(1920, 1080)
    wall.number.setText("A-1")
    qtbot.waitUntil(lambda: wall.number.fitted_px == 220, timeout=2000)


def test_a_priority_call_carries_the_star_and_the_word(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    wall = open_board(qtbot, ctx)
    assert wall.number.text() == "" and wall.counter.text() == "호출을 기다리고 있습니다"
    queue.issue_ticket("B", "disabled")
    with qtbot.waitSignal(wall.sig_announced, timeout=1000) as announced:
        queue.call_next(4)
        wall.refresh()
    assert announced.args[0].priority == "disabled"
    assert wall.priority.isVisibleTo(wall) and wall.priority.text() == "★ 우선 · 장애인"
    assert wall.chime.plays == 1


def test_recall_from_the_console_announces_again(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A")
    queue.issue_ticket("B")
    wall = open_board(qtbot, ctx)
    desk = open_console(qtbot, ctx, 1)
    with qtbot.waitSignal(wall.sig_announced, timeout=3000) as first:
        qtbot.mouseClick(desk.call_button, Qt.MouseButton.LeftButton)
    queue.call_next(2)  # another counter calls B-001 meanwhile
    wall.refresh()
    assert wall.number.text() == "B-001"
    qtbot.waitUntil(lambda: desk.recall_button.isEnabled(), timeout=3000)
    with qtbot.waitSignal(wall.sig_announced, timeout=3000) as again:
        qtbot.mouseClick(desk.recall_button, Qt.MouseButton.LeftButton)
    assert again.args[0].number == first.args[0].number == "A-001"
    assert again.args[0].event_id > first.args[0].event_id
    assert wall.number.text() == "A-001" and wall.counter.text() == "1번 창구"
    assert wall.history_labels[0].text() == "B-001  →  2번 창구"
    # Three announcements (A-001, B-001, the recall of A-001): each starts with its chime, one after
    # the other, so the later ones are still waiting their turn while A-001 is read out.
    assert wall.chime.plays + wall.announcer.pending == 3


def test_board_follows_the_language(qtbot: QtBot, ctx: UiContext, queue: QueueService) -> None:
    queue.issue_ticket("A", "infant")
    queue.call_next(2)
    wall = open_board(qtbot, ctx)
    ctx.set_language("en")
    assert wall.counter.text() == "Counter 2" and wall.now_label.text() == "Now calling"
    assert wall.priority.text() == "★ Priority · With infant"
    assert wall.waiting_labels[0].text() == "Permits and licences: 0 waiting"
    ctx.set_language("ko")
    assert wall.counter.text() == "2번 창구"


def test_a_call_from_another_process_reaches_the_board_within_a_second(qtbot: QtBot, demo_config: Config) -> None:
    app = bootstrap(demo_config)  # the real clock: the CLI process below uses it too
    try:
        app.queue.issue_ticket("B")
        ctx = UiContext(app.queue, demo_config)  # the production poll interval (250 ms)
        wall = CallingBoard(ctx)
        qtbot.addWidget(wall)
        ctx.watcher.start()
        with qtbot.waitSignal(wall.sig_announced, timeout=1500) as blocker:
            # The wait's clock starts when the CLI returns (its own start-up is not the board's delay).
            done = subprocess.run(
                [sys.executable, "-m", "kiosk", "--data-dir", str(demo_config.data_dir), "--demo", *CALL_3],
                check=True,
                capture_output=True,
                text=True,
            )
            called_at = time.monotonic()
        assert time.monotonic() - called_at < 1.0
        assert '"B-001"' in done.stdout
        assert blocker.args[0].number == "B-001" and blocker.args[0].counter == 3
        assert wall.number.text() == "B-001" and wall.counter.text() == "3번 창구"
        ctx.watcher.stop()
        ctx.ops.wait()
    finally:
        app.close()
