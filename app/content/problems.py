"""What ``flask content check`` reports: a problem in a file, at a line."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    error: bool = True

    def describe(self, root):
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {'error' if self.error else 'warning'}: {self.message}"


def line_of(lines, needle, start=1):
    """The first line (1-based, from ``start``) holding ``needle``, else ``start``."""
    for number, line in enumerate(lines[start - 1 :], start):
        if needle in line:
            return number
    return start
