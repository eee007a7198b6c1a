from django.urls import path

from concerns.views import actions, audits, cover, detail, home, listing, raising, reports

urlpatterns = [
    path("", home.home, name="home"),
    path("session/keep-alive/", home.keep_alive, name="keep-alive"),
    path("concerns/", listing.concern_list, name="concern-list"),
    path("concerns/new/", raising.raise_start, name="concern-raise"),
    path("concerns/new/urgent/", raising.raise_urgent, name="concern-raise-urgent"),
    path("concerns/new/details/", raising.raise_details, name="concern-raise-details"),
    path("concerns/<int:concern_id>/", detail.concern_detail, name="concern-detail"),
    path("concerns/<int:concern_id>/history/", detail.concern_history, name="concern-history"),
    path("concerns/<int:concern_id>/edit/", raising.edit_draft, name="concern-edit"),
    path("concerns/<int:concern_id>/confirm/", actions.concern_confirm, name="concern-confirm"),
    # One view for every action with a form; STEPS (views/actions.py) holds what each needs.
    path(
        "concerns/<int:concern_id>/escalate/",
        actions.concern_step,
        {"step_name": "escalate"},
        name="concern-escalate",
    ),
    path(
        "concerns/<int:concern_id>/escalate-urgently/",
        actions.concern_step,
        {"step_name": "escalate-urgently"},
        name="concern-escalate-urgently",
    ),
    path(
        "concerns/<int:concern_id>/propose/",
        actions.concern_step,
        {"step_name": "propose"},
        name="concern-propose",
    ),
    path("concerns/<int:concern_id>/accept/", actions.concern_accept, name="concern-accept"),
    path(
        "concerns/<int:concern_id>/dispute/",
        actions.concern_step,
        {"step_name": "dispute"},
        name="concern-dispute",
    ),
    path(
        "concerns/<int:concern_id>/withdraw/",
        actions.concern_step,
        {"step_name": "withdraw"},
        name="concern-withdraw",
    ),
    path(
        "concerns/<int:concern_id>/note/",
        actions.concern_step,
        {"step_name": "note"},
        name="concern-note",
    ),
    path(
        "concerns/<int:concern_id>/actions/<int:action_id>/",
        actions.action_update,
        name="concern-action-update",
    ),
    path(
        "concerns/<int:concern_id>/hand-over/",
        actions.concern_step,
        {"step_name": "hand-over"},
        name="concern-hand-over",
    ),
    path("cover/", cover.cover_page, name="cover"),
    path("cover/<int:cover_id>/end/", cover.cover_end, name="cover-end"),
    path(
        "concerns/<int:concern_id>/reopen/",
        actions.concern_step,
        {"step_name": "reopen"},
        name="concern-reopen",
    ),
    path(
        "concerns/<int:concern_id>/follow-on/",
        actions.concern_follow_on,
        name="concern-follow-on",
    ),
    path("concerns/<int:concern_id>/close/", actions.concern_close, name="concern-close"),
    path("concerns/<int:concern_id>/resume/", actions.concern_resume, name="concern-resume"),
    path(
        "concerns/<int:concern_id>/pause/",
        actions.concern_step,
        {"step_name": "pause"},
        name="concern-pause",
    ),
    path("concerns/<int:concern_id>/audit/", audits.audit_concern, name="concern-audit"),
    path("audits/", audits.audit_queue, name="audit-queue"),
    path("audits/sample/", audits.audit_sample, name="audit-sample"),
    path("reports/", reports.report, name="report"),
    path("reports/audit-checkpoints/", reports.audit_checkpoints, name="audit-checkpoints"),
    path("reports/dataset.csv", reports.dataset_csv, name="report-dataset"),
    path("reports/figures.csv", reports.figures_csv, name="report-figures"),
]
