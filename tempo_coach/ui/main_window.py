"""The main window (the Train and History tabs arrive with their own issues)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Tempo Coach")
        tabs = QTabWidget()
        tabs.addTab(QLabel("Train"), "Train")
        tabs.addTab(QLabel("History"), "History")
        self.setCentralWidget(tabs)
        self.resize(1000, 700)
