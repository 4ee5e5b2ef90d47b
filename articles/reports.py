"""The counts an import or export run reports: honest ones, where "updated" means
a value really changed and "unchanged" covers files left as they were."""

from dataclasses import dataclass, field


@dataclass
class FileReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    problems: list = field(default_factory=list)

    @property
    def files(self):
        return self.created + self.updated + self.unchanged + self.failed + self.skipped

    def count(self, status, amount=1):
        setattr(self, status, getattr(self, status) + amount)

    def summary(self):
        """``N files: C created, U updated, S unchanged, F failed`` (``, K skipped`` if any)."""
        line = (
            f"{self.files} files: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )
        return line + (f", {self.skipped} skipped" if self.skipped else "")
