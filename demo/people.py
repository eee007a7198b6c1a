"""The demo partnership: a Leeds-like set of agencies with two or more people in every role.

Every name is invented. Everyone shares one password hash: hashing it once per person would
cost a second each with the production hasher, and a demo needs no more than one secret.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from concerns.models import Agency, AgencyKind, Role, User
from concerns.models.people import Sector

DEFAULT_PASSWORD = "demo-password-2026"  # noqa: S105  a local demo's published password
ADMIN_EMAIL = "admin@example.org"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass(frozen=True)
class PersonSpec:
    first: str
    last: str
    role: str
    job_title: str

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class AgencySpec:
    slug: str
    name: str
    kind: str
    people: tuple[PersonSpec, ...]

    def email(self, person: PersonSpec) -> str:
        local = f"{person.first}.{person.last}".lower()
        return f"{re.sub(r'[^a-z.]', '', local)}@{self.slug}.example.org"


P, M, S = Role.PRACTITIONER, Role.MANAGER, Role.SENIOR_MANAGER
OFFICER, AUDITOR = Role.PARTNERSHIP_OFFICER, Role.PARTNERSHIP_AUDITOR


def agency(slug: str, name: str, kind: str, *people: tuple[str, str, str, str]) -> AgencySpec:
    return AgencySpec(slug, name, kind, tuple(PersonSpec(*p) for p in people))


# Where the sector is not simply the kind's (the annual report groups GPs apart).
SECTORS = {"parkside-medical": Sector.GP}

AGENCIES: tuple[AgencySpec, ...] = (
    agency(
        "social-work",
        "Children's Social Work Service",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        ("Amara", "Okafor", P, "Social worker"),
        ("Tom", "Hebden", P, "Social worker, duty and advice team"),
        ("Rachel", "Dunmore", M, "Team manager"),
        ("Imran", "Qureshi", M, "Front door team manager"),
        ("Helen", "Ashworth", S, "Head of service"),
        ("David", "Mensah", S, "Service delivery manager"),
    ),
    agency(
        "west-yorkshire-police",
        "West Yorkshire Police",
        AgencyKind.POLICE,
        ("Liam", "Fairburn", P, "Detective constable, safeguarding unit"),
        ("Sophie", "Kaur", P, "Police constable, neighbourhood team"),
        ("Gareth", "Lowe", M, "Detective sergeant"),
        ("Nadia", "Hussain", M, "Sergeant, multi-agency safeguarding hub"),
        ("Claire", "Rowntree", S, "Detective inspector"),
        ("Mark", "Ibbotson", S, "Detective chief inspector"),
    ),
    agency(
        "community-health",
        "Community Health Trust",
        AgencyKind.HEALTH,
        ("Hannah", "Whiteley", P, "Health visitor"),
        ("Joy", "Adeyemi", P, "School nurse"),
        ("Karen", "Blake", M, "Health visiting team leader"),
        ("Farah", "Begum", M, "Named nurse for safeguarding"),
        ("Susan", "Metcalfe", S, "Head of safeguarding"),
        ("Peter", "Okoye", S, "Designated nurse"),
    ),
    agency(
        "teaching-hospitals",
        "Teaching Hospitals Trust",
        AgencyKind.HEALTH,
        ("Emily", "Carr", P, "Paediatric staff nurse"),
        ("Ravi", "Patel", P, "Emergency department liaison nurse"),
        ("Lucy", "Harding", M, "Safeguarding lead nurse"),
        ("Owen", "Griffiths", M, "Named midwife"),
        ("Anne", "Whitaker", S, "Named doctor for safeguarding"),
        ("Jonathan", "Pye", S, "Head of nursing, children's services"),
    ),
    agency(
        "beckside-primary",
        "Beckside Primary School",
        AgencyKind.EDUCATION,
        ("Megan", "Holt", P, "Class teacher"),
        ("Aisha", "Rahman", P, "Learning mentor"),
        ("Paul", "Sutcliffe", M, "Designated safeguarding lead"),
        ("Gemma", "Shaw", M, "Deputy designated safeguarding lead"),
        ("Julie", "Barraclough", S, "Headteacher"),
        ("Kwame", "Asante", S, "Deputy headteacher"),
    ),
    agency(
        "moorview-high",
        "Moorview High School",
        AgencyKind.EDUCATION,
        ("Jack", "Denton", P, "Head of year 9"),
        ("Zainab", "Ali", P, "Pastoral lead"),
        ("Sarah", "Pickles", M, "Designated safeguarding lead"),
        ("Daniel", "Firth", M, "Deputy designated safeguarding lead"),
        ("Catherine", "Moss", S, "Headteacher"),
        ("Ian", "Crowther", S, "Deputy headteacher"),
    ),
    agency(
        "parkside-medical",
        "Parkside Medical Practice",
        AgencyKind.HEALTH,
        ("Priya", "Sharma", P, "GP"),
        ("Tom", "Ackroyd", P, "Practice nurse"),
        ("Neil", "Haigh", M, "Safeguarding lead GP"),
        ("Maria", "Costa", M, "Practice manager"),
        ("Ruth", "Sugden", S, "Senior partner"),
        ("Ahmed", "Malik", S, "Partner, clinical governance lead"),
    ),
    agency(
        "harbour-family-support",
        "Harbour Family Support",
        AgencyKind.VOLUNTARY,
        ("Chloe", "Burns", P, "Family support worker"),
        ("Dean", "Hirst", P, "Young people's worker"),
        ("Yasmin", "Chaudhry", M, "Service manager"),
        ("Lee", "Walsh", M, "Designated safeguarding lead"),
        ("Beverley", "Stead", S, "Director of services"),
        ("Kofi", "Boateng", S, "Operations director"),
    ),
    agency(
        "partnership",
        "Safeguarding Partnership Business Unit",
        AgencyKind.PARTNERSHIP,
        ("Olivia", "Marsden", OFFICER, "Partnership officer"),
        ("Sunil", "Joshi", OFFICER, "Partnership development officer"),
        ("Margaret", "Oldroyd", AUDITOR, "Quality assurance officer"),
        ("Ben", "Thackray", AUDITOR, "Performance and audit officer"),
    ),
)


# Each agency's designated safeguarding leads: they see every concern involving their agency
# and are told when nobody there is named to act.
LEADS = frozenset(
    {
        "Imran Qureshi",
        "Nadia Hussain",
        "Farah Begum",
        "Lucy Harding",
        "Paul Sutcliffe",
        "Sarah Pickles",
        "Neil Haigh",
        "Lee Walsh",
    }
)


@dataclass
class Directory:
    """The demo's agencies by slug and their people by slug, in the order of AGENCIES."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, list[User]] = field(default_factory=dict)
    changed: int = 0

    def person(self, slug: str, role: str, index: int = 0) -> User:
        found = [u for u in self.people[slug] if u.role == role]
        return found[index % len(found)]

    def everyone(self) -> list[User]:
        return [user for users in self.people.values() for user in users]


def ensure_people(password: str | None) -> Directory:
    """Create the demo partnership where missing; give a password to accounts without one.

    `password=None` (volume data) leaves new accounts unable to sign in.
    """
    hashed = make_password(password)
    directory = Directory()
    for spec in AGENCIES:
        org, made = Agency.objects.get_or_create(
            name=spec.name, defaults={"kind": spec.kind, "sector": SECTORS.get(spec.slug, "")}
        )
        directory.agencies[spec.slug] = org
        directory.changed += made
        directory.people[spec.slug] = [
            ensure_person(directory, spec, person, org, hashed, password is not None)
            for person in spec.people
        ]
    return directory


def ensure_person(
    directory: Directory,
    spec: AgencySpec,
    person: PersonSpec,
    org: Agency,
    hashed: str,
    can_sign_in: bool,
) -> User:
    user, made = User.objects.get_or_create(
        email=spec.email(person),
        defaults={
            "full_name": person.full_name,
            "job_title": person.job_title,
            "agency": org,
            "role": person.role,
            "is_safeguarding_lead": person.full_name in LEADS,
            "password": hashed,
        },
    )
    if not made and user.is_safeguarding_lead != (person.full_name in LEADS):
        user.is_safeguarding_lead = person.full_name in LEADS
        user.save(update_fields=["is_safeguarding_lead"])
    if not made and can_sign_in and not user.has_usable_password():
        user.password = hashed
        user.save(update_fields=["password"])
        made = True
    directory.changed += made
    return user


def ensure_admin(password: str) -> bool:
    """The superuser for the Django admin; True if it was created now."""
    if User.objects.filter(email=ADMIN_EMAIL).exists():
        return False
    User.objects.create(
        email=ADMIN_EMAIL,
        full_name="Demo Administrator",
        job_title="System administrator",
        is_staff=True,
        is_superuser=True,
        password=make_password(password),
    )
    return True
