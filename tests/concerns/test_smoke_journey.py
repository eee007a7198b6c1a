from concerns.chain import verify_all
from concerns.models import CaseEvent
from tests.conftest import london
from tests.scenarios import advance


def test_a_concern_goes_from_draft_to_audited_with_a_verified_chain(people, cast):
    concern = advance(
        cast,
        "audited",
        london(2026, 11, 2, 10, 0),
    )
    concern.refresh_from_db()
    assert concern.state == "audited"
    kinds = list(CaseEvent.objects.filter(concern=concern).values_list("kind", flat=True))
    assert kinds == [
        "concern.drafted",
        "concern.submitted",
        "outcome.proposed",
        "outcome.accepted",
        "concern.resolved",
        "outcome.confirmed",
        "outcome.confirmed",
        "concern.closed",
        "concern.audited",
    ]
    assert list(verify_all()) == []
