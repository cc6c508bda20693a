"""Both catalogs are complete, and the interface really speaks Czech and English."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


def po_entries(path: Path) -> list[dict]:
    """Parse a .po file into entries with their msgid, msgstr values and flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "strings": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
            key = match.group(1)
            entry["strings"][key] = match.group(2)
        elif line.startswith('"') and key:
            entry["strings"][key] += line[1:-1]
    return [e for e in entries if e["strings"].get("msgid")]


@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    # The English catalog repeats the English source strings: an empty msgstr there would
    # still show English, but a complete catalog is what tells a new string was reviewed.
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    untranslated = [
        e["strings"]["msgid"]
        for e in entries
        if any(not value for key, value in e["strings"].items() if key.startswith("msgstr"))
    ]
    fuzzy = [e["strings"]["msgid"] for e in entries if "fuzzy" in e["flags"]]

    assert len(entries) > 500
    assert untranslated == []
    assert fuzzy == []


def test_czech_plurals_have_three_forms():
    entries = po_entries(LOCALE / "cs" / "LC_MESSAGES" / "django.po")
    plurals = [e for e in entries if "msgid_plural" in e["strings"]]

    assert plurals
    assert [
        e["strings"]["msgid"]
        for e in plurals
        if sorted(k for k in e["strings"] if k.startswith("msgstr"))
        != ["msgstr[0]", "msgstr[1]", "msgstr[2]"]
    ] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "unexpected"),
    [("cs", "Přihlásit se", "Sign in"), ("en", "Sign in", "Přihlásit se")],
)
def test_login_page_speaks_the_chosen_language(client, language, expected, unexpected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("login")).content.decode()

    assert f'lang="{language}"' in page
    assert expected in page
    assert unexpected not in page
