"""Who may stand for a local council in Sachsen-Anhalt, checked against the election day.

This module is the one place for these rules. It follows
districts/data/election-law.md (a copy of shared/data/election-law.md):

- § 40 Abs. 1 KVG LSA: wählbar are Bürger who have completed their 18th year on the
  election day; § 82 KVG LSA says the same for Ortschaftsräte.
- Bürger (§§ 21, 23 KVG LSA, as summarised by the Landeswahlleiterin): Germans and
  citizens of another EU member state whose main residence (Hauptwohnung) has been in
  the electoral area for at least three months on the election day.
- Party lists carry members of the party or people who declare that they belong to no
  party (nomination papers ask for one or the other), so a member of another party
  cannot be on our list. A member's tick at "member of another party" does not count:
  they are on our list as a member. Only this module says so; the answer is stored as
  given, and the district team can ask about it.
- § 41 KVG LSA (Hinderungsgründe) does not bar standing, only holding the seat while
  employed by the municipality, Verbandsgemeinde or Landkreis: we ask and explain, we
  never block.

Answered by the second review (election-law.md § 7): the day of moving in counts towards
the three months (§ 23 Abs. 1 Satz 2 KVG LSA), and someone whose 18th birthday is the day
after the election has not completed the 18th year on election day (§§ 187 Abs. 2, 188
Abs. 2 BGB) — the reading this module always took. An applicant we flag is still stored
and can be cleared by the district team.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MINIMUM_AGE = 18
RESIDENCE_MONTHS = 3


class Citizenship:
    GERMAN = "de"
    EU = "eu"
    OTHER = "other"


class Membership:
    MEMBER = "member"
    NON_MEMBER = "non_member"
    WANTS_TO_JOIN = "wants_to_join"


@dataclass(frozen=True)
class Reason:
    code: str
    title: str  # to the applicant ("du")
    explanation: str
    staff_label: str = ""  # the same fact about a person, for the team's lists


REASONS = {
    reason.code: reason
    for reason in (
        Reason(
            "too_young",
            _("Du bist am Wahltag noch nicht 18 Jahre alt."),
            _(
                "Kandidieren kann, wer am Wahltag mindestens 18 Jahre alt ist "
                "(§ 40 Abs. 1 KVG LSA). Wählen darfst du bei der Kommunalwahl schon ab 16 – "
                "und im Wahlkampf können wir dich sehr gut gebrauchen."
            ),
            staff_label=_("am Wahltag noch nicht 18 Jahre alt (§ 40 Abs. 1 KVG LSA)"),
        ),
        Reason(
            "citizenship",
            _("Kandidieren können nur Deutsche und Bürger:innen anderer EU-Staaten."),
            _(
                "So regelt es das Kommunalwahlrecht (§§ 21, 23, 40 KVG LSA). Du kannst "
                "trotzdem viel bewegen: im Wahlkampf, in unseren "
                "Arbeitsgemeinschaften oder in einem Integrations- oder Migrationsbeirat."
            ),
            staff_label=_("weder deutsche noch EU-Staatsangehörigkeit"),
        ),
        Reason(
            "residence",
            _("Du wohnst am Wahltag noch keine drei Monate in der Gemeinde."),
            _(
                "Kandidieren kann, wer am Wahltag seit mindestens drei Monaten seine "
                "Hauptwohnung im Wahlgebiet hat. Wenn du vorher umziehst oder dein Datum "
                "nur geschätzt hast, klärt das Team des Kreisverbands das mit dir."
            ),
            staff_label=_("am Wahltag keine drei Monate Hauptwohnung im Wahlgebiet"),
        ),
        Reason(
            "other_party",
            _("Auf unserer Liste können nur Mitglieder oder Parteilose stehen."),
            _(
                "Für eine Parteiliste braucht jede Kandidat:in eine Bescheinigung über die "
                "Mitgliedschaft oder eine Erklärung, parteilos zu sein. Mitglieder einer "
                "anderen Partei können deshalb nicht auf unserer Liste kandidieren."
            ),
            staff_label=_("Mitglied einer anderen Partei"),
        ),
    )
}

# Not a reason to be turned away, but something the applicant must know (§ 41 KVG LSA,
# districts/data/election-law.md § 2 and § 7). For the Gemeinderat (Abs. 1) and the
# Verbandsgemeinderat (Abs. 2) it concerns the own administration's full-time staff and
# the Landkreis's leading staff; for the Kreistag (Abs. 3 Nr. 2) every full-time employee
# of the Landkreis. One note for everybody: the answer does not say which administration.
INCOMPATIBILITY_NOTE = _(
    "Du arbeitest bei der Gemeinde, der Verbandsgemeinde oder dem Landkreis. Kandidieren "
    "darfst du trotzdem. Wirst du gewählt, kannst du den Sitz aber unter Umständen nicht "
    "einnehmen, solange du dort beschäftigt bist: Dann entscheidest du dich nach der Wahl "
    "zwischen Stelle und Mandat (§ 41 KVG LSA). Für den Gemeinderat und den "
    "Verbandsgemeinderat gilt das, wenn du hauptamtlich bei der eigenen Gemeinde oder "
    "Verbandsgemeinde oder in leitender Funktion beim Landkreis arbeitest. Für den Kreistag "
    "gilt es für alle hauptamtlich Beschäftigten des Landkreises (§ 41 Abs. 3 Nr. 2 KVG "
    "LSA). Ausgenommen sind jeweils Beschäftigte ohne leitende Aufgaben in Einrichtungen wie "
    "Kitas, sozialen, Bildungs- und Gesundheitseinrichtungen oder Eigenbetrieben. Das Team "
    "des Kreisverbands bespricht das mit dir."
)


def age_on(birth_date, day):
    """Completed years of life on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def months_before(day, months):
    """The same day `months` months earlier, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return day.replace(year=year, month=month, day=candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def ineligibility_reasons(
    *,
    election_day,
    date_of_birth,
    citizenship,
    resident_since,
    membership,
    member_of_other_party,
):
    """Codes of the reasons why this person cannot stand on our list; empty if they can.
    An answer not given yet (None or "") gives no reason (Application.eligibility_open)."""
    reasons = []
    if date_of_birth and age_on(date_of_birth, election_day) < MINIMUM_AGE:
        reasons.append("too_young")
    if citizenship == Citizenship.OTHER:
        reasons.append("citizenship")
    if resident_since and resident_since > months_before(election_day, RESIDENCE_MONTHS):
        reasons.append("residence")
    # A member's tick at "other party" does not count (see the module docstring); so the
    # tick says nothing until the membership question is answered (a short first step).
    if member_of_other_party and membership and membership != Membership.MEMBER:
        reasons.append("other_party")
    return reasons


def live_hint_dates(election_day):
    """The dates the apply page's live hint (static/js/eligibility-hint.js) compares with,
    from the rules above, so the script restates none: "born_by", the latest date of
    birth that is 18 on election day, and "resident_by", the latest move-in date that
    makes three months."""
    return {
        "born_by": months_before(election_day, 12 * MINIMUM_AGE),
        "resident_by": months_before(election_day, RESIDENCE_MONTHS),
    }


def explain(codes):
    """The Reason objects for stored codes, skipping codes this version no longer knows."""
    return [REASONS[code] for code in codes if code in REASONS]
