"""The funder's monitoring code lists (DOMAIN.md §3, IS ESF 21+) as editable data."""

from django.db import migrations

# kind -> [(code, Czech name, special category of personal data (GDPR art. 9/10))].
# Order follows the funder's monitoring sheet; steps of 10 leave room for codes a call adds.
MONITORING_CODES = {
    "gender": [
        ("POHMUZI", "Muž", False),
        ("POHZENY", "Žena", False),
    ],
    "labour_status": [
        ("TPZAMCI", "Zaměstnanec/zaměstnankyně", False),
        ("TPOSVC", "Osoba samostatně výdělečně činná", False),
        ("TPMATZ", "Na mateřské dovolené (předtím zaměstnaná)", False),
        ("TPMATO", "Na mateřské dovolené (předtím OSVČ)", False),
        ("TNKNEZ", "Uchazeč o zaměstnání v evidenci úřadu práce kratší než 12 měsíců", False),
        ("TPDNEZ", "Dlouhodobě nezaměstnaný (v evidenci úřadu práce 12 měsíců a déle)", False),
        ("TPSTUD", "Žák nebo student v denním (prezenčním) studiu", False),
        ("TPSTD", "Starobní důchodce neevidovaný na úřadu práce", False),
        ("TPINV", "Invalidní důchodce neevidovaný na úřadu práce", False),
        ("TPRODI", "Na rodičovské dovolené", False),
        ("TPNEAKO", "Jiná ekonomicky neaktivní osoba", False),
    ],
    "education": [
        ("VZ0", "Bez vzdělání nebo neúplné základní vzdělání (ISCED 0)", False),
        (
            "VZISCED1-2",
            "Základní vzdělání nebo nižší stupeň víceletého gymnázia (ISCED 1–2)",
            False,
        ),
        (
            "VZISCED3-4",
            "Střední vzdělání s výučním listem nebo maturitou, pomaturitní (ISCED 3–4)",
            False,
        ),
        ("VZISCED5-8", "Vyšší odborné nebo vysokoškolské vzdělání (ISCED 5–8)", False),
        ("VZJN", "Nezařazeno", False),
    ],
    "disadvantage": [
        ("ZNZP", "Osoba se zdravotním postižením", True),
        (
            "ZNMIG",
            "Příslušník národnostní menšiny včetně marginalizovaných komunit (např. Romové)",
            True,
        ),
        ("ZNPTZ", "Státní příslušník třetí země", False),
        ("ZNUZP", "Osoba cizího původu", False),
        ("PBOBP", "Bezdomovec nebo osoba vyloučená z přístupu k bydlení", False),
        ("SPPVT", "Osoba po výkonu trestu odnětí svobody", True),
        ("SPOZ", "Osoba ohrožená závislostí nebo závislá na návykových látkách", True),
        ("SPZSV", "Jiné znevýhodnění", False),
    ],
    "exit_situation": [
        ("SPVZD", "Ve vzdělávání nebo odborné přípravě", False),
        ("SPUKV", "Získal/a kvalifikaci", False),
        ("SPUINU", "Intervence formou sociální práce naplnila svůj účel", False),
        ("SPDIG", "Obdržel/a podporu v oblasti digitálních dovedností", False),
        ("SPZOUM", "Znevýhodněná osoba umístěná na pracovní místo podpořené z projektu", False),
    ],
}


def fill_monitoring_codes(apps, schema_editor):
    MonitoringCode = apps.get_model("clients", "MonitoringCode")
    for kind, rows in MONITORING_CODES.items():
        for position, (code, name, special) in enumerate(rows, start=1):
            MonitoringCode.objects.update_or_create(
                kind=kind,
                code=code,
                defaults={"name": name, "is_special_category": special, "order": position * 10},
            )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial_schema")]

    operations = [migrations.RunPython(fill_monitoring_codes, migrations.RunPython.noop)]
