"""The customer voice box on the kiosk (S8, S11–S13): leave a note, take a receipt, read the answer.

Writing asks one question per step, like a ticket: what kind of note (five big buttons; a
misconduct report says it goes to the audit team only), the text with a visible counter, whether
to leave a contact (what is kept, why and for how long is said before anything is asked, and
sending anonymously is always one tap away), then the receipt: number, PIN, due date and a QR code.
Checking takes the receipt number and the PIN and shows where the note is, as steps and in words,
with the answer or the reason for a delay and the new date. A kiosk with a camera also reads the
receipt number from the receipt's QR code (``ReceiptScanner``, only while the step is on screen);
the PIN is never in the code and is always typed.

Every text field types through the on-screen keyboard (Hangul composed without an input method).
Bad input shows the message in the visitor's language and keeps everything typed. The store is
written off the UI thread (``ctx.ops``), once per draft however often "send" is tapped: one
``request_key`` per draft. Visitor text is only ever shown as plain text.

A page of ``KioskScreen``: the kiosk's bottom bar, idle return, modes and keypad drive it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.modes import Mode
from kiosk.domain.errors import InvalidInput, KioskError
from kiosk.domain.feedback import TEXT_LIMIT, Category, check_text
from kiosk.services.feedback_views import ReceiptView, StatusView
from kiosk.services.qr_receipt import receipt_qr_text
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.qr_scan import ReceiptScanner
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, Palette
from kiosk.ui.touch_keyboard import ENGLISH, KOREAN, TouchKeyboard
from kiosk.ui.widgets import PlainLabel, TouchButton, touch_scroll_area

STEP_CATEGORY, STEP_WRITE, STEP_CONSENT, STEP_CONTACT, STEP_RECEIPT, STEP_LOOKUP, STEP_STATUS = range(7)
TYPING_STEPS = (STEP_WRITE, STEP_CONTACT, STEP_LOOKUP)
"""The steps with text fields: the on-screen keyboard shows under (or beside) them."""
TYPING_MIN_PX = 128
"""The least height a typing step keeps above the keyboard (doubled in large text)."""
TYPING_IDLE_FACTOR = 3
"""Writing takes thought: the idle return waits this many times longer on the typing steps."""
PROGRESS = ("received", "assigned", "answered")
"""The steps a note goes through, as the status page shows them (a delay is late in step 2)."""
_STEP_OF_STATUS = {"received": 0, "assigned": 1, "delayed": 1, "answered": 2}


def voice_box_style(p: Palette, scale: float = 1.0, min_font_px: int = 0) -> str:
    """The voice box's additions to the kiosk's style sheet (only text pairs the palette checks)."""

    def f(px: float) -> int:
        return round(px * scale)

    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    return f"""
QPlainTextEdit, QLineEdit {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary};
    border-radius: 10px; font-size: {t(24)}px; padding: {f(8)}px; }}
QPlainTextEdit:focus, QLineEdit:focus {{ border: 6px solid {p.focus}; }}
QPushButton#category, QPushButton#send {{ background: {p.primary}; color: {p.primary_text}; font-size: {t(28)}px; }}
QPushButton#send {{ font-weight: bold; }}
QPushButton#category:disabled, QPushButton#send:disabled {{ background: {p.surface}; color: {p.muted}; }}
QLabel#receipt {{ font-size: {t(96)}px; font-weight: bold; color: {p.primary}; }}
QLabel#pin {{ font-size: {t(56)}px; font-weight: bold; }}
QLabel#consent, QLabel#answer {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary};
    border-radius: 10px; padding: {f(12)}px; }}
QLabel#counter {{ color: {p.text}; }}
QLabel#counterOver {{ background: {p.priority_bg}; color: {p.priority}; font-weight: bold;
    border: 3px solid {p.priority}; border-radius: 8px; padding: {f(4)}px; }}
QLabel#stepDone {{ color: {p.text}; padding: {f(6)}px; }}
QLabel#stepNow {{ background: {p.primary}; color: {p.primary_text}; font-weight: bold; border-radius: 8px;
    padding: {f(6)}px; }}
QLabel#stepTodo {{ color: {p.muted}; padding: {f(6)}px; }}
QLabel#heading {{ font-weight: bold; }}
"""


def spell(code: str) -> str:
    """A receipt number or PIN as voice guidance reads it: one character at a time."""
    return ", ".join(" ".join(part) for part in code.split("-"))


def _repolish(label: QLabel, name: str) -> None:
    if label.objectName() != name:
        label.setObjectName(name)
        label.style().unpolish(label)
        label.style().polish(label)


class VoiceBox(QWidget):
    sig_step_changed = Signal(int)
    """The visible step changed (``STEP_CATEGORY`` ... ``STEP_STATUS``); the kiosk shows the page and speaks."""

    sig_submitted = Signal(object)
    """A note was stored: the ``ReceiptView`` now on screen (the receipt printer's cue, later)."""

    sig_status_shown = Signal(object)
    """Receipt and PIN matched: the ``StatusView`` now on screen."""

    sig_error = Signal(str)
    """Input was refused or the store failed: the message now shown (and spoken) to the visitor."""

    sig_finished = Signal()
    """The visitor is done (receipt taken, answer read): the screen is the next visitor's."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, scanner: ReceiptScanner | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scanner: ReceiptScanner | None = None
        """Reads the receipt's QR code on the lookup step; the kiosk's camera one is made on first use."""
        self._scanner_chosen = False
        self.setObjectName("voiceBox")
        self.category: Category | None = None
        self.request_key = ""
        """One per draft: a double tap or a retry stores the note once."""
        self.consent = False
        self.receipt: ReceiptView | None = None
        self.status_view: StatusView | None = None
        self.qr_text = ""
        self.busy = False
        self._generation = 0  # a reset (home, idle) makes late answers from the worker moot
        self._said: dict[PlainLabel, BaseException | str] = {}
        """What each message label says (an error, or a catalog key), to say it again in another language."""
        self._landscape: bool | None = None

        # The step and the keyboard scroll together only when even the kiosk's low-screen band has given
        # way and they still do not fit (large text on a landscape screen): keys are never squeezed.
        self.content = QWidget()
        self.content.setObjectName("page")
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(16)
        self.steps = QStackedWidget()
        self.areas: list[QScrollArea] = []
        builders = (
            self._build_category,
            self._build_write,
            self._build_consent,
            self._build_contact,
            self._build_receipt,
            self._build_lookup,
            self._build_status,
        )
        for build in builders:
            area = touch_scroll_area(build())
            self.areas.append(area)
            self.steps.addWidget(area)
        self.body.addWidget(self.steps, 1)
        self.keyboard = TouchKeyboard(lang=ctx.lang, min_key_px=self._base_px())
        self.keyboard.sig_key_pressed.connect(self.ctx.speak)
        self.keyboard.sig_done.connect(self._on_keyboard_done)
        self.keyboard.hide()
        self.body.addWidget(self.keyboard)
        self.frame_area = touch_scroll_area(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame_area)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if scanner is not None:
            self.set_scanner(scanner)

    # -- construction -----------------------------------------------------------------------
    def needed_height(self) -> int:
        """The height the current step and the keyboard need to show without scrolling."""
        return self.content.minimumSizeHint().height()

    def _base_px(self) -> int:
        return max(theme.MIN_TOUCH_PX, self.ctx.config.screen.min_control_px)

    @staticmethod
    def _label(name: str = "", *, wrap: bool = True) -> PlainLabel:
        label = PlainLabel(wrap=wrap)
        if name:
            label.setObjectName(name)
        return label

    def _message(self) -> PlainLabel:
        """Where a step says what went wrong (or that it is sending); hidden until then."""
        label = self._label("banner")
        label.hide()
        return label

    def _button(self, slot: Callable[[], None], name: str = "", min_px: int = 96) -> TouchButton:
        button = TouchButton(min_px=min_px)
        if name:
            button.setObjectName(name)
        button.clicked.connect(lambda _=False: slot())
        return button

    def _build_category(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(20)
        self.category_title = self._label("title")
        self.category_help = self._label("help")
        layout.addWidget(self.category_title)
        layout.addWidget(self.category_help)
        self.category_buttons: dict[Category, TouchButton] = {}
        for category in Category:
            button = self._button(partial(self.choose_category, category), "category", 110)
            self.category_buttons[category] = button
            layout.addWidget(button)
        layout.addStretch(1)
        return page

    def _build_write(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(12)
        self.write_title = self._label("title")
        self.write_help = self._label("help")
        self.misconduct_note = self._label("notice")
        self.misconduct_note.hide()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)  # keypad users leave the field with Tab
        self.text_edit.textChanged.connect(self._update_counter)
        self.counter = self._label("counter", wrap=False)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.write_error = self._message()
        self.next_button = self._button(self.next_from_write, "send")
        for w in (self.write_title, self.write_help, self.misconduct_note):
            layout.addWidget(w)
        layout.addWidget(self.text_edit, 1)  # the room the screen has is the visitor's to write in
        for widget in (self.counter, self.write_error, self.next_button):
            layout.addWidget(widget)
        return page

    def _build_consent(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(16)
        self.consent_title = self._label("title")
        self.consent_text = self._label("consent")
        self.consent_error = self._message()
        self.agree_button = self._button(self.agree, "send")
        self.anonymous_button = self._button(self.send_anonymously)
        for w in (self.consent_title, self.consent_text, self.consent_error, self.agree_button, self.anonymous_button):
            layout.addWidget(w)
        layout.addStretch(1)
        return page

    def _build_contact(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(12)
        self.contact_title = self._label("title")
        self.contact_help = self._label("help")
        self.consent_given = self._label("help")
        self.name_label = self._label()
        self.name_edit = QLineEdit()
        self.name_label.setBuddy(self.name_edit)
        self.contact_label = self._label()
        self.contact_edit = QLineEdit()
        self.contact_label.setBuddy(self.contact_edit)
        self.name_edit.returnPressed.connect(lambda: self._focus(self.contact_edit))
        self.contact_edit.returnPressed.connect(self.send)
        self.contact_error = self._message()
        self.send_button = self._button(self.send, "send")
        self.anonymous_button2 = self._button(self.send_anonymously)
        for w in (
            self.contact_title,
            self.contact_help,
            self.name_label,
            self.name_edit,
            self.contact_label,
            self.contact_edit,
            self.contact_error,
            self.send_button,
            self.anonymous_button2,
            self.consent_given,
        ):
            layout.addWidget(w)
        layout.addStretch(1)
        return page

    def _build_receipt(self) -> QWidget:
        page = QWidget()
        self.receipt_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, page)
        self.receipt_layout.setSpacing(16)
        text = QVBoxLayout()
        text.setSpacing(10)
        self.receipt_title = self._label("title")
        self.receipt_caption = self._label("big")
        self.receipt_number = self._label("receipt")
        self.receipt_pin = self._label("pin")
        self.receipt_due = self._label("big")
        self.receipt_note = self._label("help")
        self.receipt_keep = self._label("notice")
        for w in (
            self.receipt_title,
            self.receipt_caption,
            self.receipt_number,
            self.receipt_pin,
            self.receipt_due,
            self.receipt_note,
            self.receipt_keep,
        ):
            text.addWidget(w)
        side = QVBoxLayout()
        side.setSpacing(12)
        self.qr_label = QLabel()
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = self._label("help")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.receipt_done = self._button(self.finish, "send")
        side.addWidget(self.qr_label)
        side.addWidget(self.qr_caption)
        side.addWidget(self.receipt_done)
        side.addStretch(1)
        self.receipt_layout.addLayout(text)
        self.receipt_layout.addLayout(side)
        self.receipt_layout.addStretch(1)
        return page

    def _build_lookup(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(12)
        self.lookup_title = self._label("title")
        self.lookup_help = self._label("help")
        self.camera_hint = self._label("help")
        self.camera_hint.hide()  # only where a camera can read the QR code
        self.receipt_field_label = self._label()
        self.receipt_edit = QLineEdit()
        self.receipt_field_label.setBuddy(self.receipt_edit)
        self.pin_field_label = self._label()
        self.pin_edit = QLineEdit()
        self.pin_field_label.setBuddy(self.pin_edit)
        self.receipt_edit.returnPressed.connect(lambda: self._focus(self.pin_edit))
        self.pin_edit.returnPressed.connect(self.lookup)
        self.lookup_error = self._message()
        self.lookup_button = self._button(self.lookup, "send")
        for w in (
            self.lookup_title,
            self.lookup_help,
            self.camera_hint,
            self.receipt_field_label,
            self.receipt_edit,
            self.pin_field_label,
            self.pin_edit,
            self.lookup_error,
            self.lookup_button,
        ):
            layout.addWidget(w)
        layout.addStretch(1)
        return page

    def _build_status(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(12)
        self.status_title = self._label("title")
        self.status_meta = self._label("help")
        layout.addWidget(self.status_title)
        layout.addWidget(self.status_meta)
        self.step_labels = [self._label("stepTodo") for _ in PROGRESS]
        for label in self.step_labels:
            layout.addWidget(label)
        self.status_text = self._label("big")
        self.status_due = self._label("big")
        self.delay_box = self._label("notice")
        self.answer_title = self._label("heading")
        self.answer_label = self._label("answer")
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.answered_on = self._label("help")
        self.again_button = self._button(self.start_lookup)
        self.status_done = self._button(self.finish, "send")
        for w in (
            self.status_text,
            self.status_due,
            self.delay_box,
            self.answer_title,
            self.answer_label,
            self.answered_on,
            self.status_done,
            self.again_button,
        ):
            layout.addWidget(w)
        layout.addStretch(1)
        return page

    # -- state ------------------------------------------------------------------------------
    @property
    def step(self) -> int:
        return self.steps.currentIndex()

    @property
    def idle_factor(self) -> int:
        """How much longer than usual the kiosk waits before it returns to the start."""
        return TYPING_IDLE_FACTOR if self.step in TYPING_STEPS else 1

    def editors(self) -> list[QLineEdit | QPlainTextEdit]:
        return [self.text_edit, self.name_edit, self.contact_edit, self.receipt_edit, self.pin_edit]

    def text(self) -> str:
        """The note as typed so far (without the syllable still being composed)."""
        return self.text_edit.toPlainText()

    def _go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.areas[step].verticalScrollBar().setValue(0)
        typing = step in TYPING_STEPS
        self.keyboard.setVisible(typing)
        # Beside the keyboard the field keeps some room: the low-screen band gives way to it, if need be.
        self.steps.setMinimumHeight(round(TYPING_MIN_PX * self.ctx.modes.scale) if typing else 0)
        self._show_camera_hint()
        self.sig_step_changed.emit(step)
        self._sync_scanner()  # after the kiosk has put this page on screen
        editor = self.first_control()
        if typing and isinstance(editor, (QLineEdit, QPlainTextEdit)):
            self._focus(editor)
            area = self.areas[step]
            QTimer.singleShot(0, area, lambda: area.ensureWidgetVisible(editor))  # once laid out

    def first_control(self) -> QWidget:
        """Where focus goes when a step opens (the first field, or the step's main button)."""
        return {
            STEP_CATEGORY: self.category_buttons[Category.PRAISE],
            STEP_WRITE: self.text_edit,
            STEP_CONSENT: self.agree_button,
            STEP_CONTACT: self.name_edit,
            STEP_RECEIPT: self.receipt_done,
            STEP_LOOKUP: self.receipt_edit,
            STEP_STATUS: self.status_done,
        }[self.step]

    def reset(self) -> None:
        """Forget the visit: the draft, the contact, the receipt and what was looked up (privacy)."""
        self._generation += 1
        self.busy = False
        self._set_sending(False)
        self.keyboard.hide()
        self.keyboard.set_target(None)
        self.category, self.request_key, self.consent = None, "", False
        self.receipt, self.status_view, self.qr_text = None, None, ""
        for editor in self.editors():
            editor.clear()
        for label in (self.write_error, self.consent_error, self.contact_error, self.lookup_error):
            self._unsay(label)
        self.qr_label.clear()
        self.steps.setCurrentIndex(STEP_CATEGORY)
        self.camera_hint.hide()
        self._sync_scanner()

    def can_go_back(self) -> bool:
        return self.step != STEP_RECEIPT and not self.busy

    def back(self) -> bool:
        """One step back inside the voice box; ``False`` when the previous page is the kiosk's start."""
        if self.busy:
            return True
        previous = {STEP_WRITE: STEP_CATEGORY, STEP_CONSENT: STEP_WRITE, STEP_CONTACT: STEP_CONSENT}
        previous[STEP_STATUS] = STEP_LOOKUP
        if self.step in previous:
            self._go(previous[self.step])
            return True
        return False

    def finish(self) -> None:
        self.sig_finished.emit()

    # -- writing ----------------------------------------------------------------------------
    def start_write(self) -> None:
        """A new note: the category question first."""
        self.reset()
        self._retranslate_write()
        self._go(STEP_CATEGORY)

    def choose_category(self, category: Category) -> None:
        if self.busy:
            return
        self.category = category
        if not self.request_key:
            self.request_key = uuid.uuid4().hex
        self._retranslate_write()
        self._go(STEP_WRITE)

    def next_from_write(self) -> None:
        """The text is checked by the voice box's rules now, so no step is wasted on a note that cannot go."""
        self.keyboard.commit()
        try:
            check_text(self.text())
        except InvalidInput as exc:
            self._show_error(self.write_error, exc)
            return
        self._unsay(self.write_error)
        self._go(STEP_CONSENT)

    def agree(self) -> None:
        if self.busy:
            return
        self.consent = True
        self._unsay(self.contact_error)
        self._go(STEP_CONTACT)

    def send(self) -> None:
        """Send with the name and contact typed (the visitor agreed to how they are kept)."""
        self.keyboard.commit()
        self._submit(self.name_edit.text(), self.contact_edit.text(), consent=self.consent)

    def send_anonymously(self) -> None:
        """Send without a name or contact, whatever was typed in those fields."""
        self.keyboard.commit()
        self._submit("", "", consent=False)

    def _submit(self, name: str, contact: str, *, consent: bool) -> None:
        if self.busy or self.category is None:
            return
        service = self.ctx.feedback
        if service is None:
            self._show_error(self._step_message(), "voicebox.unavailable")
            return
        self.busy = True
        self._set_sending(True)
        self._say(self._step_message(), "voicebox.sending", error=False)
        category, text, key, lang = self.category.value, self.text(), self.request_key, self.ctx.lang
        generation = self._generation
        self.ctx.ops.run(
            lambda: service.submit(
                category,
                text,
                name=name.strip() or None,
                contact=contact.strip() or None,
                consent=consent,
                language=lang,
                request_key=key,
            ),
            lambda receipt: self._on_submitted(receipt, generation),
            lambda error: self._on_submit_failed(error, generation),
        )

    def _set_sending(self, sending: bool) -> None:
        for button in (self.next_button, self.agree_button, self.anonymous_button, self.send_button):
            button.setEnabled(not sending)
        self.anonymous_button2.setEnabled(not sending)
        for button in self.category_buttons.values():
            button.setEnabled(not sending)

    def _on_submitted(self, receipt: ReceiptView, generation: int) -> None:
        self.busy = False
        self._set_sending(False)
        if generation != self._generation:
            return
        self._unsay(self.consent_error)
        self._unsay(self.contact_error)
        # The note is in the box: the draft and the contact leave the screen; the next one gets a new key.
        self.category, self.request_key, self.consent = None, "", False
        for editor in (self.text_edit, self.name_edit, self.contact_edit):
            editor.clear()
        self.show_receipt(receipt)
        self.sig_submitted.emit(receipt)

    def _on_submit_failed(self, error: BaseException, generation: int) -> None:
        self.busy = False
        self._set_sending(False)
        if generation != self._generation:
            return
        field = error.params.get("field") if isinstance(error, KioskError) else None
        if field == "text":
            self._go(STEP_WRITE)
            self._show_error(self.write_error, error)
        elif field in ("name", "contact_feedback", "consent") and self.step == STEP_CONTACT:
            self._show_error(self.contact_error, error)
        else:
            self._show_error(self._step_message(), error)

    def _step_message(self) -> PlainLabel:
        return {
            STEP_WRITE: self.write_error,
            STEP_CONSENT: self.consent_error,
            STEP_CONTACT: self.contact_error,
            STEP_LOOKUP: self.lookup_error,
        }.get(self.step, self.consent_error)

    # -- the receipt ------------------------------------------------------------------------
    def show_receipt(self, receipt: ReceiptView) -> None:
        """The receipt on screen: number, PIN, due date, QR code; then the printer's hook."""
        self.receipt = receipt
        self.qr_text = receipt_qr_text(receipt.receipt)
        self._render_qr()
        self._retranslate_receipt()
        self._go(STEP_RECEIPT)
        self.print_receipt(receipt)

    def print_receipt(self, receipt: ReceiptView) -> bool:
        """Hand ``receipt`` to the kiosk's printer as a raster image, as tickets are (never waits).

        Returns whether a paper receipt will come out now (a faulted printer prints it when it is
        back); without a printer, ``False``: the screen is the receipt.
        """
        spooler = self.ctx.printer
        if spooler is None:
            return False
        from kiosk.printing.jobs import ReceiptPrint

        local = receipt.received_at.astimezone(self.ctx.config.tz)
        spooler.submit(
            ReceiptPrint(
                facility=self.ctx.facility(),
                receipt=receipt.receipt,
                pin=receipt.pin,
                answer_by=(
                    self.ctx.tr("printing.answer_pending") if receipt.due_date is None else receipt.due_date.isoformat()
                ),
                qr=self.qr_text,
                issued_at=f"{local:%Y-%m-%d %H:%M}",
                lang=self.ctx.lang,
            )
        )
        return bool(spooler.status.ok)

    def _render_qr(self) -> None:
        if not self.qr_text:
            self.qr_label.clear()
            return
        from kiosk.ui.kiosk_screen import qr_image  # the kiosk's renderer: one QR look everywhere

        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(self.qr_text, round(240 * self.ctx.modes.scale))))

    # -- checking ---------------------------------------------------------------------------
    def start_lookup(self) -> None:
        """Receipt number and PIN, typed on the on-screen keyboard."""
        if self.busy:
            return
        self.status_view = None
        self._unsay(self.lookup_error)
        self._go(STEP_LOOKUP)

    # -- the camera -------------------------------------------------------------------------
    def set_scanner(self, scanner: ReceiptScanner | None) -> None:
        """Read receipts with ``scanner`` from now on (``None``: typed entry only)."""
        self._scanner_chosen = True
        old = self.scanner
        if old is scanner:
            return
        if old is not None:
            old.stop()
            old.sig_receipt.disconnect(self._on_scanned)
            old.sig_failed.disconnect(self.camera_hint.hide)
        self.scanner = scanner
        if scanner is not None:
            scanner.sig_receipt.connect(self._on_scanned)
            scanner.sig_failed.connect(self.camera_hint.hide)  # the camera failed: typing it is
        self._show_camera_hint()
        self._sync_scanner()

    def _show_camera_hint(self) -> None:
        """On the lookup step, where a camera can read the receipt's QR code: say so."""
        if self.step == STEP_LOOKUP and not self._scanner_chosen:
            self.set_scanner(ReceiptScanner(self))  # built on first use: most visits never check a note
            return
        scanner = self.scanner
        self.camera_hint.setVisible(self.step == STEP_LOOKUP and scanner is not None and scanner.available)

    def _sync_scanner(self) -> None:
        """The camera scans only while the lookup step is on screen."""
        scanner = self.scanner
        if scanner is None:
            return
        if self.step == STEP_LOOKUP and self.isVisible() and not self.camera_hint.isHidden():
            if not scanner.start():
                self.camera_hint.hide()  # the camera would not open: typing it is
        else:
            scanner.stop()

    def _on_scanned(self, receipt: str) -> None:
        """A receipt's QR code was read: its number goes in the field, and the keyboard moves on to the PIN."""
        if self.step != STEP_LOOKUP or self.busy:
            return
        self.keyboard.commit()
        self.receipt_edit.setText(receipt)
        self._focus(self.pin_edit)
        self.ctx.speak(self._say(self.lookup_error, "voicebox.camera_read", error=False))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync_scanner()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._sync_scanner()

    def lookup(self) -> None:
        if self.busy:
            return
        self.keyboard.commit()
        receipt, pin = self.receipt_edit.text().strip(), self.pin_edit.text().strip()
        for value, field, editor in ((receipt, "receipt", self.receipt_edit), (pin, "pin", self.pin_edit)):
            if not value:
                self._show_error(self.lookup_error, InvalidInput(field=field, reason="empty"))
                self._focus(editor)
                return
        service = self.ctx.feedback
        if service is None:
            self._show_error(self.lookup_error, "voicebox.unavailable")
            return
        self.busy = True
        self.lookup_button.setEnabled(False)
        self._say(self.lookup_error, "voicebox.looking_up", error=False)
        generation = self._generation
        self.ctx.ops.run(
            lambda: service.status(receipt, pin),
            lambda view: self._on_status(view, generation),
            lambda error: self._on_lookup_failed(error, generation),
            changes=False,
        )

    def _on_status(self, view: StatusView, generation: int) -> None:
        self.busy = False
        self.lookup_button.setEnabled(True)
        if generation != self._generation:
            return
        self._unsay(self.lookup_error)
        self.show_status(view)
        self.sig_status_shown.emit(view)

    def _on_lookup_failed(self, error: BaseException, generation: int) -> None:
        self.busy = False
        self.lookup_button.setEnabled(True)
        if generation == self._generation:
            self._show_error(self.lookup_error, error)

    def show_status(self, view: StatusView) -> None:
        self.status_view = view
        self._retranslate_status()
        self._go(STEP_STATUS)

    # -- messages ---------------------------------------------------------------------------
    def _say(self, label: PlainLabel, message: BaseException | str, *, error: bool) -> str:
        """Show ``message`` (an error, or a catalog key) on ``label``; it follows the language switch."""
        self._said[label] = message
        text = self._message_text(message)
        _repolish(label, "banner" if error else "notice")
        label.setText(text)
        label.show()
        area = self.areas[self.step]
        area.ensureWidgetVisible(label)
        return text

    def _message_text(self, message: BaseException | str) -> str:
        return self.ctx.tr(message) if isinstance(message, str) else self.ctx.error_text(message)

    def _unsay(self, label: PlainLabel) -> None:
        label.hide()
        self._said.pop(label, None)

    def _show_error(self, label: PlainLabel, error: BaseException | str) -> None:
        """The message in the visitor's language, next to what it is about; nothing typed is touched."""
        text = self._say(label, error, error=True)
        self.ctx.speak(text)
        self.sig_error.emit(text)

    # -- the keyboard -----------------------------------------------------------------------
    def _type_into(self, editor: QLineEdit | QPlainTextEdit) -> None:
        """Point the keyboard at ``editor``: Korean keys for words, English ones for contacts and receipts."""
        if self.keyboard.target is editor:
            return
        self.keyboard.set_target(editor)
        words = editor in (self.text_edit, self.name_edit)
        self.keyboard.set_layout(KOREAN if words and self.ctx.lang == "ko" else ENGLISH)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new in self.editors():
            self._type_into(new)

    def _on_keyboard_done(self) -> None:
        """The keyboard's done key: the next field, or the step's main action."""
        target = self.keyboard.target
        if target is self.text_edit:
            self.next_from_write()
        elif target is self.name_edit:
            self._focus(self.contact_edit)
        elif target is self.contact_edit:
            self.send()
        elif target is self.receipt_edit:
            self._focus(self.pin_edit)
        elif target is self.pin_edit:
            self.lookup()

    def _focus(self, editor: QLineEdit | QPlainTextEdit) -> None:
        """The keyboard types into ``editor`` from now on (focus follows, where the window has it)."""
        self._type_into(editor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_counter(self) -> None:
        count = len(self.text_edit.toPlainText().replace("\r\n", "\n"))
        t = self.ctx.tr
        self.counter.setText(t("voicebox.counter", count=f"{count:,}", limit=f"{TEXT_LIMIT:,}"))
        self.counter.setAccessibleName(t("voicebox.counter_name", count=f"{count:,}", limit=f"{TEXT_LIMIT:,}"))
        _repolish(self.counter, "counterOver" if count > TEXT_LIMIT else "counter")

    # -- keypad and voice -------------------------------------------------------------------
    def handle_digit(self, n: int) -> bool:
        """Keypad digits: 1–5 choose the kind of note; on the consent step 1 agrees, 2 sends anonymously."""
        categories = list(Category)
        if self.step == STEP_CATEGORY and 1 <= n <= len(categories):
            self.choose_category(categories[n - 1])
            return True
        if self.step == STEP_CONSENT and n in (1, 2):
            (self.agree if n == 1 else self.send_anonymously)()
            return True
        return False

    def announcement(self) -> str:
        """What voice guidance says when a step opens."""
        t = self.ctx.tr
        step = self.step
        if step == STEP_CATEGORY:
            choices = " ".join(
                t("voicebox.say_category_choice", key=i, name=t(f"voicebox.category.{c.value}"))
                for i, c in enumerate(Category, start=1)
            )
            return t("voicebox.say_category", choices=choices)
        if step == STEP_WRITE:
            name = t(f"voicebox.category.{self.category.value}") if self.category else ""
            said = t("voicebox.say_write", category=name, count=len(self.text()))
            return f"{self.misconduct_note.text()} {said}".strip() if self.category == Category.MISCONDUCT else said
        if step == STEP_CONSENT:
            return t(
                "voicebox.say_consent",
                what=t("voicebox.consent_what"),
                why=t("voicebox.consent_why"),
                how_long=self._retention(),
                refuse=t("voicebox.consent_refuse"),
            )
        if step == STEP_CONTACT:
            return t("voicebox.say_contact")
        if step == STEP_RECEIPT and self.receipt is not None:
            return t(
                "voicebox.say_receipt",
                receipt=spell(self.receipt.receipt),
                pin=spell(self.receipt.pin),
                due=self.receipt_due.text() + ".",
                keep=t("voicebox.receipt_keep"),
            )
        if step == STEP_LOOKUP:
            camera = "" if self.camera_hint.isHidden() else f" {self.camera_hint.text()}"
            return t("voicebox.say_lookup") + camera
        if step == STEP_STATUS and self.status_view is not None:
            parts = [self.status_text.text()]
            for label in (self.delay_box, self.answer_label):
                if not label.isHidden():
                    parts.append(label.text())
            due = self.status_due.text() if not self.status_due.isHidden() else ""
            return t("voicebox.say_status", receipt=spell(self.status_view.receipt), state=" ".join(parts), due=due)
        return ""

    # -- texts ------------------------------------------------------------------------------
    def _date(self, day: date) -> str:
        return self.ctx.tr("voicebox.date", year=day.year, month=day.month, day=day.day)

    def _retention(self) -> str:
        return self.ctx.tr("voicebox.consent_how_long", days=self.ctx.config.feedback_retention_days)

    def retranslate(self) -> None:
        t = self.ctx.tr
        self.keyboard.set_language(self.ctx.lang)
        self.category_title.setText(t("voicebox.category_title"))
        self.category_help.setText(t("voicebox.category_help"))
        for i, (category, button) in enumerate(self.category_buttons.items(), start=1):
            name = t(f"voicebox.category.{category.value}")
            help_ = t(f"voicebox.category.{category.value}_help")
            button.set_label(f"{i}. {name}\n{help_}", t("voicebox.category_button_name", name=name, help=help_))
        self._retranslate_write()
        self.consent_title.setText(t("voicebox.consent_title"))
        self.consent_text.setText(
            "\n\n".join((t("voicebox.consent_what"), t("voicebox.consent_why"), self._retention()))
            + "\n\n"
            + t("voicebox.consent_refuse")
        )
        self.agree_button.set_label(f"1. {t('voicebox.agree')}", t("voicebox.agree_name"))
        self.anonymous_button.set_label(f"2. {t('voicebox.anonymous')}", t("voicebox.anonymous_name"))
        self.contact_title.setText(t("voicebox.contact_title"))
        self.contact_help.setText(t("voicebox.contact_help"))
        self.consent_given.setText(t("voicebox.consent_given"))
        self.name_label.setText(t("voicebox.name_label"))
        self.name_edit.setAccessibleName(t("voicebox.name_name"))
        self.contact_label.setText(t("voicebox.contact_label"))
        self.contact_edit.setAccessibleName(t("voicebox.contact_name"))
        self.send_button.set_label(t("voicebox.send"), t("voicebox.send_name"))
        self.anonymous_button2.set_label(t("voicebox.anonymous"), t("voicebox.anonymous_name"))
        self._retranslate_receipt()
        self.lookup_title.setText(t("voicebox.lookup_title"))
        self.lookup_help.setText(t("voicebox.lookup_help"))
        self.camera_hint.setText(t("voicebox.camera_hint"))
        self.receipt_field_label.setText(t("voicebox.receipt_field"))
        self.receipt_edit.setAccessibleName(t("voicebox.receipt_field_name"))
        self.pin_field_label.setText(t("voicebox.pin_field"))
        self.pin_edit.setAccessibleName(t("voicebox.pin_field_name"))
        self.lookup_button.set_label(t("voicebox.lookup"), t("voicebox.lookup_name"))
        self._retranslate_status()
        self.again_button.set_label(t("voicebox.again"), t("voicebox.again_name"))
        self.status_done.set_label(t("voicebox.done"), t("voicebox.done_name"))
        self.receipt_done.set_label(t("voicebox.done"), t("voicebox.done_name"))
        self.qr_caption.setText(t("voicebox.receipt_qr"))
        for label, message in self._said.items():
            label.setText(self._message_text(message))

    def _retranslate_write(self) -> None:
        t = self.ctx.tr
        name = t(f"voicebox.category.{self.category.value}") if self.category else ""
        self.write_title.setText(t("voicebox.write_title", category=name))
        self.write_help.setText(t("voicebox.write_help"))
        self.misconduct_note.setText(t("voicebox.misconduct_note"))
        self.misconduct_note.setVisible(self.category == Category.MISCONDUCT)
        self.text_edit.setAccessibleName(f"{t('voicebox.text_name')}: {name}" if name else t("voicebox.text_name"))
        self.next_button.set_label(t("voicebox.next"), t("voicebox.next_name"))
        self._update_counter()

    def _retranslate_receipt(self) -> None:
        t = self.ctx.tr
        receipt = self.receipt
        self.receipt_title.setText(t("voicebox.receipt_title"))
        self.receipt_caption.setText(t("voicebox.receipt_label"))
        if receipt is None:
            return
        self.receipt_number.setText(receipt.receipt)
        self.receipt_number.setAccessibleName(t("voicebox.receipt_name", receipt=spell(receipt.receipt)))
        self.receipt_pin.setText(t("voicebox.pin", pin=receipt.pin))
        self.receipt_pin.setAccessibleName(t("voicebox.pin_name", pin=spell(receipt.pin)))
        due = receipt.due_date
        due_text = t("voicebox.due_pending") if due is None else t("voicebox.due_date", date=self._date(due))
        self.receipt_due.setText(due_text)
        if receipt.category == Category.MISCONDUCT:
            note = t("voicebox.receipt_misconduct")
        else:
            note = t("voicebox.receipt_anonymous") if receipt.anonymous else t("voicebox.receipt_contact")
        self.receipt_note.setText(note)
        self.receipt_keep.setText(t("voicebox.receipt_keep"))

    def _retranslate_status(self) -> None:
        t = self.ctx.tr
        view = self.status_view
        if view is None:
            return
        category = t(f"voicebox.category.{view.category}")
        self.status_title.setText(t("voicebox.status_title", receipt=view.receipt))
        self.status_meta.setText(t("voicebox.status_received_on", category=category, date=self._date(view.received_on)))
        current = _STEP_OF_STATUS.get(view.status, 0)
        for i, (key, label) in enumerate(zip(PROGRESS, self.step_labels, strict=True)):
            step = t(f"voicebox.step_{key}")
            state = "done" if i < current or view.status == "answered" else ("now" if i == current else "todo")
            label.setText(t(f"voicebox.step_{state}", step=step))
            spoken = t("voicebox.step_name", number=i + 1, step=step, state=t(f"voicebox.state_{state}"))
            label.setAccessibleName(spoken)
            _repolish(label, {"done": "stepDone", "now": "stepNow", "todo": "stepTodo"}[state])
        self.status_text.setText(t(f"voicebox.status_{view.status}"))
        deadline = view.new_date or view.due_date
        answered = view.status == "answered"
        self.status_due.setVisible(not answered)
        self.status_due.setText(
            t("voicebox.due_pending") if deadline is None else t("voicebox.due_date", date=self._date(deadline))
        )
        delayed = view.status == "delayed" and bool(view.delay_reason)
        self.delay_box.setVisible(delayed)
        if delayed:
            lines = [t("voicebox.delay_reason", reason=view.delay_reason)]
            if view.new_date is not None:
                lines.append(t("voicebox.new_date", date=self._date(view.new_date)))
            self.delay_box.setText("\n".join(lines))
        for w in (self.answer_title, self.answer_label, self.answered_on):
            w.setVisible(answered)
        self.answer_title.setText(t("voicebox.answer_title"))
        self.answer_label.setText(view.answer)  # plain text: whatever staff typed is shown as typed
        when = view.answered_at
        local = when.astimezone(self.ctx.config.tz).date() if when is not None else None
        self.answered_on.setText(t("voicebox.answered_on", date=self._date(local)) if local else "")

    # -- look -------------------------------------------------------------------------------
    def apply_modes(self) -> None:
        """The kiosk's modes: colours, sizes (everything doubles in large text), the QR code."""
        modes = self.ctx.modes
        s = modes.scale
        palette = HIGH_CONTRAST if Mode.HIGH_CONTRAST in modes else STANDARD
        min_font = theme.font_px_for_glyph(self.ctx.config.screen.min_text_px)
        self.setStyleSheet(voice_box_style(palette, s, min_font))
        base = self._base_px()
        for button in self.category_buttons.values():
            button.set_base_size(round(max(base, 110) * s), round(max(base, 110) * s))
        for button in (
            self.next_button,
            self.agree_button,
            self.anonymous_button,
            self.send_button,
            self.anonymous_button2,
            self.receipt_done,
            self.lookup_button,
            self.again_button,
            self.status_done,
        ):
            button.set_base_size(round(max(base, 96) * s), round(max(base, 96) * s))
        for line in (self.name_edit, self.contact_edit, self.receipt_edit, self.pin_edit):
            line.setMinimumHeight(round(max(base, 80) * s))
        self.text_edit.setMinimumHeight(round(200 * s))
        # The keys already carry 12 mm glyphs; doubled, twelve of them would not fit across a kiosk.
        self.keyboard.apply_style(palette, 1.0, min_font)
        self._render_qr()
        self._landscape = None
        self._orient()

    def _orient(self) -> None:
        """Landscape: the keyboard beside the step, the QR code beside the receipt; portrait: below."""
        screen = self.window()  # the screen's shape, not the room left (the low-screen layout leaves a wide band)
        landscape = screen.width() > screen.height() * 1.1 and screen.width() >= 1500
        if landscape == self._landscape:
            return
        self._landscape = landscape
        row, column = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.body.setDirection(row if landscape else column)
        self.receipt_layout.setDirection(row if landscape else column)
        self.receipt_layout.setStretch(0, 1 if landscape else 0)  # landscape: the text takes the width
        self.receipt_layout.setStretch(2, 0 if landscape else 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._orient()

    # -- specimens --------------------------------------------------------------------------
    def specimen_receipt(self) -> ReceiptView:
        """A receipt as the store would give it (the accessibility audit's receipt page)."""
        now = datetime.now(UTC)
        today = now.astimezone(self.ctx.config.tz).date()
        return ReceiptView(f"{today:%y%m%d}-7KQ4", "480213", Category.COMPLAINT.value, "received", now, None, False)

    def specimen_status(self, status: str) -> StatusView:
        """A note in ``status`` (the audit's status pages), with the catalog's sample answer or delay."""
        t = self.ctx.tr
        now = datetime.now(UTC)
        today = now.astimezone(self.ctx.config.tz).date()
        answered = status == "answered"
        delayed = status == "delayed"
        return StatusView(
            receipt=f"{today:%y%m%d}-7KQ4",
            category=Category.COMPLAINT.value,
            status=status,
            received_on=today,
            due_date=today + timedelta(days=7) if status != "received" else None,
            answer=t("voicebox.sample.answer") if answered else "",
            answered_at=now if answered else None,
            delay_reason=t("voicebox.sample.delay_reason") if delayed else "",
            new_date=today + timedelta(days=14) if delayed else None,
        )

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        """Every step as a visitor reaches it (the receipt and answers from specimens: no store needed)."""

        def write() -> None:
            self.choose_category(Category.MISCONDUCT)
            self.text_edit.setPlainText(self.ctx.tr("voicebox.sample.text"))

        def too_long() -> None:
            self.text_edit.setPlainText("가" * (TEXT_LIMIT + 1))
            self.next_from_write()

        def consent() -> None:
            self.text_edit.setPlainText(self.ctx.tr("voicebox.sample.text"))
            self.next_from_write()

        return [
            ("category", self.start_write),
            ("write", write),
            ("write too long", too_long),
            ("consent", consent),
            ("contact", self.agree),
            ("receipt", lambda: self.show_receipt(self.specimen_receipt())),
            ("lookup", self.start_lookup),
            ("status delayed", lambda: self.show_status(self.specimen_status("delayed"))),
            ("status answered", lambda: self.show_status(self.specimen_status("answered"))),
        ]
