"""One queue API for a node of a facility: the central database first, the node's own store when it is away.

While the central database answers, every call goes there: one queue for all kiosks and counters.
When a call fails because the central database cannot be reached, the node switches to its own
store (which mirrors the central queue and journals every change to its outbox) and stays there
until the sync has sent everything recorded meanwhile (``set_online(True)``, from the sync).
Visitors see no difference; staff see the state (``online``, ``sig`` listeners).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.domain.errors import StoreUnavailable


class FailoverQueue:
    """Any service object works (the queue, the seat chart): calls go to ``central`` while online."""

    def __init__(self, central: Any, local: Any, *, online: bool = True) -> None:
        self.central = central
        self.local = local
        self.online = online
        self._listeners: list[Callable[[bool], None]] = []

    def on_change(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(online)`` whenever the node goes offline or comes back."""
        self._listeners.append(listener)

    def set_online(self, online: bool) -> None:
        if online == self.online:
            return
        self.online = online
        for listener in list(self._listeners):
            listener(online)

    @property
    def settings(self) -> Any:
        return self.central.settings

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.central, name)
        if not callable(target) or name.startswith("_"):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.online:
                try:
                    return getattr(self.central, name)(*args, **kwargs)
                except StoreUnavailable:
                    self.set_online(False)  # from now on the node's own store, until the sync catches up
            return getattr(self.local, name)(*args, **kwargs)

        call.__name__ = name
        return call
