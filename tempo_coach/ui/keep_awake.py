"""Keeping the screen awake during a session (the "keep the screen awake" preference).

On Linux desktops this asks the freedesktop screen saver service over D-Bus to hold off
(``org.freedesktop.ScreenSaver.Inhibit``). The request is made on a private bus connection
that is closed on release: the screen saver services of GNOME and KDE drop an inhibition when
its sender leaves the bus, which also covers a crash, and it avoids passing the uint32
cookie back through PySide6 (which sends a Python int as int32, so ``UnInhibit`` would not
match). Elsewhere, or without a session bus, it does nothing and says why in the log.
"""

from __future__ import annotations

import itertools
import logging
import os
from typing import Protocol

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.ScreenSaver"
PATH = "/org/freedesktop/ScreenSaver"


class ScreenKeeper(Protocol):
    def hold(self, reason: str) -> bool:
        """Keep the screen on until ``release()``; False when that is not possible here."""
        ...

    def release(self) -> None: ...


class NoScreenKeeper:
    def hold(self, reason: str) -> bool:
        return False

    def release(self) -> None:
        pass


_names = itertools.count(1)


class DBusScreenKeeper:
    def __init__(self) -> None:
        self._connection_name: str | None = None

    def hold(self, reason: str) -> bool:
        if self._connection_name is not None:
            return True
        from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

        name = f"tempo-coach-keep-awake-{next(_names)}"
        # By address when the environment gives one: libdbus reads the session address
        # once per process and caches it, and this should follow the environment.
        address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if address:
            bus = QDBusConnection.connectToBus(address, name)
        else:
            bus = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, name)
        if not bus.isConnected():
            QDBusConnection.disconnectFromBus(name)
            log.info("screen stays as it is: no D-Bus session bus")
            return False
        interface = QDBusInterface(SERVICE, PATH, SERVICE, bus)
        reply = interface.call("Inhibit", "Tempo Coach", reason) if interface.isValid() else None
        if reply is None or reply.type() == QDBusMessage.MessageType.ErrorMessage:
            why = reply.errorMessage() if reply is not None else "no screen saver service"
            log.info("screen stays as it is: %s", why)
            QDBusConnection.disconnectFromBus(name)
            return False
        self._connection_name = name
        return True

    def release(self) -> None:
        if self._connection_name is None:
            return
        from PySide6.QtDBus import QDBusConnection

        QDBusConnection.disconnectFromBus(self._connection_name)
        self._connection_name = None
