"""The process defaults of the partnership's protocol: four stages with their clocks, and the themes."""

from django.db import migrations

STAGES = [
    (1, "Practitioner to practitioner",
     "The practitioners talk, after each consults their own manager or safeguarding lead.",
     "practitioners", 5, 2, False),
    (2, "First-line managers", "First-line managers or designated safeguarding leads of both "
     "agencies.", "managers", 5, None, False),
    (3, "Senior managers", "Senior managers, heads of service or designated professionals.",
     "managers", 5, None, True),
    (4, "Partnership", "The partnership's business unit convenes the partners' leads.",
     "partnership", 14, None, False),
]

THEMES = [
    "Professional curiosity",
    "Disguised compliance",
    "Escalation practice",
    "Death of a significant family member (bereavement)",
    "Understanding other agencies' risk assessment processes",
    "Domestic abuse",
    "Reduced contact or capacity (pandemic impact)",
    "Complex health needs",
    "Consistent safeguarding approaches (Think Family Work Family, Was Not Brought, Early Help)",
    "Voice of the child",
]


def seed(apps, schema_editor):
    Stage = apps.get_model("concerns", "Stage")
    for number, name, description, holder, days, response, urgent in STAGES:
        Stage.objects.get_or_create(number=number, defaults=dict(
            name=name, description=description, holder=holder, working_days=days,
            response_working_days=response, accepts_urgent_escalation=urgent))
    Theme = apps.get_model("concerns", "Theme")
    for name in THEMES:
        Theme.objects.get_or_create(name=name)
    apps.get_model("concerns", "ProcessSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
