"""Every text exists in Korean and English; every error has a message people can read."""

from __future__ import annotations

import kiosk.domain.errors as errors
from kiosk.domain.errors import KioskError, UnknownService
from kiosk.i18n import catalog, error_message, tr


def test_korean_and_english_catalogs_have_the_same_keys() -> None:
    assert set(catalog("ko")) == set(catalog("en"))


def test_every_error_code_has_a_message_in_both_languages() -> None:
    codes = {cls.code for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, KioskError)}
    for code in codes:
        assert f"error.{code}" in catalog("ko")
        assert f"error.{code}" in catalog("en")


def test_messages_are_filled_in_the_visitors_language() -> None:
    assert error_message(UnknownService(service="Z"), "ko") == "'Z' 업무를 찾을 수 없습니다."
    assert error_message(UnknownService(service="Z"), "en") == "There is no service 'Z'."
    assert tr("wait.range", "ko", lo=5, hi=10) == "5~10분"


def test_korean_catalog_uses_polite_forms_for_instructions() -> None:
    ko = catalog("ko")
    assert ko["kiosk.choose_service"].endswith("십시오")
    assert ko["kiosk.idle_countdown"].endswith("합니다.")
