"""ETHOS categories (Czech version) and the dated list of housing benefits (DOMAIN.md §8)."""

from django.db import migrations

ROOFLESS = "bez střechy"
HOUSELESS = "bez bytu"
INSECURE = "nejisté bydlení"
INADEQUATE = "nevyhovující bydlení"

# (code, Czech name, conceptual category). Operational categories (1–13) come with their
# sub-categories so a worker can record the finer one when it is known. National
# sub-categories can be added by the administrator.
ETHOS = [
    ("1", "Osoby přežívající venku", ROOFLESS),
    ("1.1", "Veřejný prostor nebo venkovní prostor", ROOFLESS),
    ("2", "Osoby v noclehárně", ROOFLESS),
    ("2.1", "Noclehárna", ROOFLESS),
    ("3", "Osoby v ubytovnách pro bezdomovce", HOUSELESS),
    ("3.1", "Azylový dům", HOUSELESS),
    ("3.2", "Přechodné ubytování", HOUSELESS),
    ("3.3", "Přechodné podporované bydlení (tréninkové bydlení)", HOUSELESS),
    ("4", "Osoby v azylových domech pro ženy", HOUSELESS),
    ("4.1", "Azylový dům pro ženy (ohrožené domácím násilím)", HOUSELESS),
    ("5", "Osoby v ubytovacích zařízeních pro migranty", HOUSELESS),
    ("5.1", "Dočasné ubytování, přijímací a pobytová střediska", HOUSELESS),
    ("5.2", "Ubytovny pro migrující pracovníky", HOUSELESS),
    ("6", "Osoby před opuštěním instituce", HOUSELESS),
    ("6.1", "Vězeňská zařízení", HOUSELESS),
    ("6.2", "Zdravotnická zařízení", HOUSELESS),
    ("6.3", "Dětské instituce a ústavní výchova", HOUSELESS),
    ("7", "Uživatelé dlouhodobé podpory z důvodu bezdomovectví", HOUSELESS),
    ("7.1", "Pobytová zařízení pro starší bezdomovce", HOUSELESS),
    ("7.2", "Podporované bydlení pro bývalé bezdomovce", HOUSELESS),
    ("8", "Osoby v nejistém bydlení", INSECURE),
    ("8.1", "Dočasně u příbuzných nebo přátel", INSECURE),
    ("8.2", "Bez právního nároku na bydlení (bez nájemní smlouvy)", INSECURE),
    ("8.3", "Nelegální obsazení pozemku", INSECURE),
    ("9", "Osoby ohrožené vystěhováním", INSECURE),
    ("9.1", "Z nájemního bydlení", INSECURE),
    ("9.2", "Z vlastního bydlení", INSECURE),
    ("10", "Osoby ohrožené násilím", INSECURE),
    ("10.1", "Policií zaznamenané případy domácího násilí", INSECURE),
    ("11", "Osoby žijící v provizorních a neobvyklých stavbách", INADEQUATE),
    ("11.1", "Mobilní obydlí", INADEQUATE),
    ("11.2", "Neobvyklé stavby (nebytové prostory)", INADEQUATE),
    ("11.3", "Provizorní stavby", INADEQUATE),
    ("12", "Osoby žijící v nevhodném bydlení", INADEQUATE),
    ("12.1", "Obydlí nevhodné k bydlení", INADEQUATE),
    ("13", "Osoby žijící v extrémně přelidněném bydlení", INADEQUATE),
    ("13.1", "Nejvyšší národní norma přelidnění", INADEQUATE),
]

# (code, Czech name, valid_from, valid_to). The single state social assistance benefit
# (Act 151/2025) replaced the four older benefits on 1 October 2025.
BENEFITS = [
    ("housing_allowance", "Příspěvek na bydlení", None, "2025-09-30"),
    ("housing_supplement", "Doplatek na bydlení", None, "2025-09-30"),
    ("living_allowance", "Příspěvek na živobytí", None, "2025-09-30"),
    ("child_allowance", "Přídavek na dítě", None, "2025-09-30"),
    (
        "state_social_assistance",
        "Dávka státní sociální pomoci (včetně složky na bydlení)",
        "2025-10-01",
        None,
    ),
]


def fill_reference_data(apps, schema_editor):
    EthosCategory = apps.get_model("housing", "EthosCategory")
    BenefitType = apps.get_model("housing", "BenefitType")
    for position, (code, name, conceptual) in enumerate(ETHOS, start=1):
        EthosCategory.objects.update_or_create(
            code=code,
            defaults={"name": name, "conceptual_category": conceptual, "order": position * 10},
        )
    for position, (code, name, valid_from, valid_to) in enumerate(BENEFITS, start=1):
        BenefitType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "order": position * 10,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial_schema")]

    operations = [migrations.RunPython(fill_reference_data, migrations.RunPython.noop)]
