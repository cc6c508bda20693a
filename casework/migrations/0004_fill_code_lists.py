"""Code lists of the intervention log: topics, forms and record types (DOMAIN.md §6)."""

from django.db import migrations

# (code, Czech name)
TOPICS = [
    ("debts", "Dluhy"),
    ("housing", "Bydlení"),
    ("employment", "Zaměstnání"),
    ("benefits", "Dávky"),
    ("family", "Rodina"),
    ("health", "Zdraví"),
    ("youth", "Mládež"),
    ("other", "Jiné"),
]

# (code, Czech name, is_electronic, is_group, is_office). Electronic forms feed the
# "electronic" support hours of IS ESF 21+; everything else counts as in person.
DELIVERY_MODES = [
    ("field_visit", "Terénní návštěva", False, False, False),
    ("office", "Konzultace v kanceláři", False, False, True),
    ("accompaniment", "Doprovod na instituci", False, False, False),
    ("phone", "Telefonický kontakt", True, False, False),
    ("online", "Online (videohovor, chat)", True, False, False),
    ("email", "E-mail", True, False, False),
    ("group", "Skupinové setkání", False, True, False),
]

# (code, Czech name, needs_plan_goal, field_only). Outreach needs no plan goal; outreach,
# field work and accompaniment cannot take place in the office.
INTERVENTION_TYPES = [
    ("outreach", "Depistáž (vyhledávání a oslovení)", False, True),
    ("social_inquiry", "Sociální šetření, mapování situace", True, False),
    ("basic_counselling", "Základní sociální poradenství", True, False),
    ("field_work", "Terénní sociální práce", True, True),
    ("accompaniment", "Doprovod", True, True),
    ("specialised_counselling", "Odborné sociální poradenství", True, False),
    ("crisis_intervention", "Krizová intervence", True, False),
    ("negotiation", "Jednání s institucí ve prospěch klienta", True, False),
    ("case_conference", "Případová konference", True, False),
    ("group_work", "Skupinová práce", True, False),
    ("evaluation", "Hodnocení a ukončení spolupráce", True, False),
]


def fill_code_lists(apps, schema_editor):
    Topic = apps.get_model("casework", "Topic")
    DeliveryMode = apps.get_model("casework", "DeliveryMode")
    InterventionType = apps.get_model("casework", "InterventionType")
    for position, (code, name) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(code=code, defaults={"name": name, "order": position * 10})
    for position, (code, name, electronic, group, office) in enumerate(DELIVERY_MODES, start=1):
        DeliveryMode.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": position * 10,
                "is_electronic": electronic,
                "is_group": group,
                "is_office": office,
            },
        )
    for position, (code, name, needs_goal, field_only) in enumerate(INTERVENTION_TYPES, start=1):
        InterventionType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": position * 10,
                "needs_plan_goal": needs_goal,
                "field_only": field_only,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_intervention_client_links")]

    operations = [migrations.RunPython(fill_code_lists, migrations.RunPython.noop)]
