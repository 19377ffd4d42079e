"""Small-group suppression: the one rule for every figure about people that the
statistics page, its CSV files and a list's women's share show.

A count of people is shown exactly only when it is at least MIN_GROUP and when the rest
of its group (the total minus the count) is at least MIN_GROUP as well. Otherwise:

- fewer than MIN_GROUP (zero included): "< 5";
- all but fewer than MIN_GROUP of the group: "> total − 5" (e.g. "> 20" of 25), so that
  a small remainder cannot be worked out from the total either ("all of them are women"
  would tell each person's answer as surely as a count of one).

A share (percent) is shown only where its count is. Counts without a group (a total of
applications, for example) only need the first rule. District teams know their
applicants by name, so a figure about fewer than five people could point at a person.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MIN_GROUP = 5


@dataclass(frozen=True)
class Figure:
    """A count of people, as it may be shown. `count` is for computing only (charts
    decide by `exact`); what any page or file shows is `str(figure)` and `percent`."""

    count: int
    total: int | None = None

    @property
    def exact(self):
        if self.count < MIN_GROUP:
            return False
        return self.total is None or self.total - self.count >= MIN_GROUP

    @property
    def percent(self):
        """The share of the group in percent, one decimal, or None where it is not shown."""
        if not self.exact or not self.total:
            return None
        return round(100 * self.count / self.total, 1)

    def __str__(self):
        if self.exact:
            return str(self.count)
        if self.count < MIN_GROUP:
            return f"< {MIN_GROUP}"
        return f"> {self.total - MIN_GROUP}"


def figure(count, total=None):
    return Figure(count, total)


EXPLANATION = _(
    "Zahlen unter 5 Personen erscheinen als „< 5“. Umfasst eine Zahl alle Personen einer "
    "Gruppe bis auf weniger als 5, erscheint sie als „> …“. Anteile stehen nur bei genau "
    "gezeigten Zahlen. So steht keine kleine Gruppe in den Zahlen."
)
