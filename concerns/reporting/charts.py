"""Small-number suppression and server-rendered bar charts for the learning report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: 1 to threshold-1 reads "fewer than N"."""

    value: int
    threshold: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < self.threshold

    def __str__(self) -> str:
        return f"fewer than {self.threshold}" if self.suppressed else str(self.value)


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    width: float  # percent of the chart's width; 0 for a suppressed count


def bars(items: Iterable[tuple[str, int]], threshold: int) -> list[Bar]:
    cells = [(label, Cell(value, threshold)) for label, value in items]
    shown = [c.value for _, c in cells if not c.suppressed]
    top = max(shown, default=0) or 1
    return [
        Bar(label, cell, 0.0 if cell.suppressed else round(100 * cell.value / top, 1))
        for label, cell in cells
    ]


def share(part: int, whole: int, threshold: int) -> str:
    """A percentage, suppressed when either count is small enough to identify a child."""
    if Cell(part, threshold).suppressed or Cell(whole, threshold).suppressed:
        return f"not shown (fewer than {threshold})"
    return f"{round(100 * part / whole)}%" if whole else "none"


def days(value: float | None, count: int, threshold: int) -> str:
    if value is None:
        return "none"
    if Cell(count, threshold).suppressed:
        return f"not shown (fewer than {threshold})"
    return f"{value:.1f}".removesuffix(".0")
