"""Finding a concern by what a practitioner has to hand: its reference (whole or "2026-41"),
either agency's case number, the child's initials (with a date of birth to narrow it), or
words from the summary and the discussions they may read.

Always applied to what the person may see already (selectors.concern_list_for): a search
never widens anyone's view. Words use PostgreSQL's full-text search (English stemming,
`websearch` syntax: "quoted phrases", -excluded); on SQLite every word must appear somewhere.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from concerns.models import Concern, DiscussionNote, User
from concerns.models.people import PARTNERSHIP_ROLES

REFERENCE = re.compile(r"^(?:CR-)?(\d{4})-0*(\d{1,5})$", re.IGNORECASE)
INITIALS = re.compile(r"^[A-Za-z]{1,4}$")


def search_q(user: User, text: str, born: dt.date | None = None) -> Q:
    """Concerns matching `text` (and the child's date of birth, if given)."""
    text = " ".join(text.split())[:200]
    q = Q()
    if text:
        q = identifiers_q(text) | words_q(user, text)
    if born is not None:
        q &= Q(child_date_of_birth=born)
    return q


def identifiers_q(text: str) -> Q:
    q = Q(reference__iexact=text) | Q(raising_agency_case_number__iexact=text)
    q |= Q(receiving_agency_case_number__iexact=text)
    match = REFERENCE.match(text)
    if match:
        year, number = match.groups()
        q |= Q(reference__iexact=f"CR-{year}-{int(number):05d}")
    elif len(text) >= 4:
        q |= Q(reference__icontains=text)
    if INITIALS.match(text):
        q |= Q(child_initials__iexact=text)
    return q


def readable_notes(user: User) -> Q:
    """The notes this person may read: not another agency's internal ones."""
    if user.role in PARTNERSHIP_ROLES:
        return Q()
    return Q(internal=False) | Q(author__agency_id=user.agency_id)


def words_q(user: User, text: str) -> Q:
    notes = DiscussionNote.objects.filter(readable_notes(user), concern=OuterRef("pk"))
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config="english")
        concern_text = SearchVector("summary", "outcome_sought", config="english")
        note_text = SearchVector("discussion", "agreed", "with_whom", config="english")
        matching = notes.annotate(found=note_text).filter(found=query)
        return Q(Exists(matching)) | Q(pk__in=concern_ids_matching(concern_text, query))
    words = [word for word in re.split(r"\W+", text) if len(word) > 1]
    if not words:
        return Q(pk__in=[])
    q = Q()
    for word in words:
        in_notes = Q(discussion__icontains=word) | Q(agreed__icontains=word)
        q &= (
            Q(summary__icontains=word)
            | Q(outcome_sought__icontains=word)
            | Q(Exists(notes.filter(in_notes)))
        )
    return q


def concern_ids_matching(vector: SearchVector, query: SearchQuery) -> object:
    return Concern.objects.annotate(found=vector).filter(found=query).values("pk")
