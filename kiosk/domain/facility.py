"""Services (duties) and counters as the rules see them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Service:
    """A duty visitors queue for. ``code`` is the letter printed before the number (``A-001``)."""

    code: str
    name_ko: str
    name_en: str
    help_ko: str = ""
    help_en: str = ""
    icon: str = "general"
    location_ko: str = ""
    location_en: str = ""

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def help(self, lang: str) -> str:
        return self.help_ko if lang == "ko" else self.help_en

    def location(self, lang: str) -> str:
        return self.location_ko if lang == "ko" else self.location_en


@dataclass
class Counter:
    number: int
    is_open: bool = False
    services: list[str] = field(default_factory=list)
    staff_ko: str = ""
    staff_en: str = ""

    def handles(self, service_code: str) -> bool:
        return self.is_open and service_code in self.services
