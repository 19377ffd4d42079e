"""The rules a candidate list must meet, in one place. lists.services refuses to mark a list
adopted or submitted while a rule that blocks adoption fails; a draft may break them, and
the admin shows the problems live (on every change) and on save.

Sources: districts/data/election-law.md (a copy of shared/data/election-law.md).
- § 21 Abs. 4 KWG LSA: the most names per list (Wahlbereich): districts.models.Council.
- § 40 KVG LSA: who is wählbar; candidates.eligibility decides, the application carries
  the result (is_eligible, ineligibility_reasons).
- Residence in the Wahlgebiet: districts.models.Council.lives_in_area.
- A complete application (candidates.models.Application.missing_details): the
  particulars of § 21 Abs. 6 KWG LSA and the answers eligibility is checked on.
- Nobody twice on our lists for the same body (⚠ the statute's wording on several lists for
  one body was not verified, election-law.md § 6; one party never puts a person twice).
- The papers per person (§ 21 KWG LSA, KWO LSA Anlagen 8a, 9a, 9c; party membership or
  "parteilos"): required_documents.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from candidates.models import BODY_FIELDS, Application
from lists.models import CandidateList, Document, ListPlace


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    # The list position the problem is about; None for the list as a whole.
    position: int | None = None
    # A draft may have any problem; an adopted or submitted list none that blocks.
    blocks_adoption: bool = True


def person_key(application):
    """The same person, whichever application: names and date of birth."""
    return (
        " ".join(application.last_name.casefold().split()),
        " ".join(application.first_names.casefold().split()),
        application.date_of_birth,
    )


def _elsewhere(candidate_list):
    """Application ids and person keys on our other lists for the same council and
    election: one query."""
    return elsewhere_for([candidate_list])[candidate_list.pk]


def elsewhere_for(candidate_lists):
    """_elsewhere for several lists at once (the admin's list of lists), one query:
    {list pk: (application ids, person keys) on the other lists of its council and
    election}."""
    candidate_lists = list(candidate_lists)
    places = (
        ListPlace.objects.filter(
            candidate_list__council_id__in={c.council_id for c in candidate_lists},
            candidate_list__election_id__in={c.election_id for c in candidate_lists},
        )
        # The council too: the message names the other list (CandidateList.__str__).
        .select_related("application", "candidate_list__council")
    )
    places = list(places)
    result = {}
    for candidate_list in candidate_lists:
        by_id, by_person = {}, {}
        for place in places:
            other = place.candidate_list
            if (
                other.pk == candidate_list.pk
                or other.council_id != candidate_list.council_id
                or other.election_id != candidate_list.election_id
            ):
                continue
            by_id[place.application_id] = other
            by_person[person_key(place.application)] = other
        result[candidate_list.pk] = (by_id, by_person)
    return result


def list_problems(candidate_list, applications, *, status=None, elsewhere=None):
    """What is wrong with `candidate_list` holding `applications` in this order (position
    1 first), if its status were `status` (default: its own). The applications need
    their municipality loaded; the list its council (with district) and election.
    `elsewhere`: the list's entry of elsewhere_for, when the caller checks many lists."""
    council = candidate_list.council
    status = status or candidate_list.status
    problems = []
    limit = council.max_list_length
    if limit is None:
        problems.append(
            Problem(
                "limit_unknown",
                _(
                    "Für %(council)s sind die Sitze oder die Wahlbereiche noch nicht "
                    "eingetragen, deshalb lässt sich die Höchstzahl der Namen (§ 21 Abs. 4 "
                    "KWG LSA) nicht prüfen."
                )
                % {"council": council.name},
            )
        )
    elif len(applications) > limit:
        problems.append(
            Problem(
                "too_many",
                _(
                    "Die Liste hat %(count)s Namen, erlaubt sind höchstens %(limit)s "
                    "(§ 21 Abs. 4 KWG LSA)."
                )
                % {"count": len(applications), "limit": limit},
            )
        )
    if council.electoral_areas and candidate_list.electoral_area > council.electoral_areas:
        problems.append(
            Problem(
                "no_such_area",
                _("%(council)s hat nur %(areas)s Wahlbereiche.")
                % {"council": council.name, "areas": council.electoral_areas},
            )
        )
    if not applications:
        problems.append(Problem("empty", _("Auf der Liste steht noch niemand.")))
    assembly_missing = (
        candidate_list.assembly_at is None or not candidate_list.assembly_place.strip()
    )
    if status != CandidateList.Status.DRAFT and assembly_missing:
        problems.append(
            Problem(
                "assembly_missing",
                _("Für eine beschlossene Liste fehlen Datum oder Ort der Aufstellungsversammlung."),
            )
        )

    other_ids, other_people = elsewhere if elsewhere is not None else _elsewhere(candidate_list)
    seen = {}
    body_field = BODY_FIELDS[council.kind]
    for position, application in enumerate(applications, start=1):
        name = application.full_name

        def add(code, message, *, blocks=True, position=position, name=name):
            problems.append(
                Problem(
                    code,
                    _("Platz %(position)s, %(name)s: ") % {"position": position, "name": name}
                    + message,
                    position,
                    blocks,
                )
            )

        if application.election_id != candidate_list.election_id:
            add("other_election", _("die Bewerbung gilt für eine andere Wahl."))
        if application.status != Application.Status.NOMINATED:
            add(
                "not_nominated",
                _("ist nicht nominiert (Status: %(status)s).")
                % {"status": application.get_status_display()},
            )
        if not application.is_eligible:
            reasons = "; ".join(
                str(reason.staff_label) for reason in application.ineligibility_explanations
            )
            add(
                "not_eligible",
                _("nach den Angaben nicht wählbar: %(reasons)s") % {"reasons": reasons},
            )
        missing = application.missing_details
        if missing:
            add(
                "incomplete",
                _("Angaben unvollständig: %(missing)s.")
                % {"missing": ", ".join(str(label) for label in missing)},
            )
        if not council.lives_in_area(application.municipality):
            add(
                "outside_area",
                _("wohnt laut Bewerbung in %(municipality)s, nicht im Wahlgebiet.")
                % {"municipality": application.municipality.name},
            )
        key = person_key(application)
        if key in seen:
            add("twice", _("steht schon auf Platz %(other)s.") % {"other": seen[key]})
        seen.setdefault(key, position)
        other = other_ids.get(application.pk) or other_people.get(key)
        if other is not None:
            add(
                "on_other_list",
                _("steht schon auf unserer Liste „%(list)s“ für dieselbe Vertretung.")
                % {"list": other},
            )
        if not getattr(application, body_field):
            add(
                "not_applied_for_body",
                _("hat sich nicht für %(body)s beworben – bitte nachfragen.")
                % {"body": council.get_kind_display()},
                blocks=False,
            )
    return problems


def blocking(problems):
    return [problem for problem in problems if problem.blocks_adoption]


def required_documents(application):
    """The papers a Wahlvorschlag needs for this person, in the order they are asked for."""
    documents = [Document.CONSENT, Document.ELIGIBILITY_CERTIFICATE, Document.MEMBERSHIP]
    if application.works_for_local_authority:
        documents.append(Document.INCOMPATIBILITY)
    if application.citizenship == Application.Citizenship.EU:
        documents.append(Document.EU_DECLARATION)
    return documents
