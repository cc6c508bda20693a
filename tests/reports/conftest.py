"""A small hand-built project whose every indicator value is worked out by hand below.

Project RAL starts 1 Sep 2020; reporting periods P1 1 Sep–31 Dec 2020, P2 1 Jan–30 Jun 2021,
P3 1 Jul–31 Dec 2021. Localities Hvězdov (L1) and Kuřívody (L2).

=====  =====================================================  ===============================
who    data                                                   status
=====  =====================================================  ===============================
A      woman, 35 at entry, TPDNEZ, VZISCED1-2, PBOBP, L1;     below the threshold (39 h 59 min)
       24 h + 15 h 59 min on 15 Sep 2020
B      man, 17 at entry, TPSTUD, VZISCED1-2, ZNMIG+PBOBP, L1;  participant from P1 (40 h 00 min)
       24 h + 16 h on 15 Sep 2020
C      woman, 60 at entry, TPSTD, VZISCED3-4, no disadv., L2;  joined in P1, crosses in P3
       20 h on 1 Oct 2020, 20 h on 2 Aug 2021
D      woman, 21 at entry (15 Oct 2020), TNKNEZ, VZISCED3-4,   first an anonymous outreach
       ZNMIG, L2; an outreach row of 3 people on 20 Sep 2020   contact, identified later;
       linked to her; 40 h on 1 Feb 2021; exit 31 May 2021     participant from P2, exit in P2
       with SPUINU + SPVZD
E      man, 30 at entry, labour status missing, L1; 45 h in   over the threshold, not counted
       P1
G      man, entry 15 Jan 2021, L2; 10 h on 10 Jan 2021         below the threshold (35 h valid)
       (before entry: invalid) + 35 h on 1 Mar 2021
=====  =====================================================  ===============================

Output document published 15 Mar 2021. Capacity 6 70 01 entered by hand: 25.
"""

import datetime as dt
from decimal import Decimal

import pytest

from casework.models import OutputDocument, OutreachContact, ProjectIndicator
from tests.factories import (
    KeyActivityFactory,
    LocalityFactory,
    ReportingPeriodFactory,
    UserFactory,
)
from tests.reports.test_indicators import HOURS, enrol, support

P1 = (dt.date(2020, 9, 1), dt.date(2020, 12, 31))
P2 = (dt.date(2021, 1, 1), dt.date(2021, 6, 30))
P3 = (dt.date(2021, 7, 1), dt.date(2021, 12, 31))

TARGETS = {
    "6 00 00": ("Celkový počet účastníků", Decimal(40)),
    "6 15 00": ("Migranti, osoby cizího původu, menšiny", Decimal(8)),
    "6 18 00": ("Bezdomovci nebo osoby vyloučené z přístupu k bydlení", Decimal(10)),
    "6 28 00": ("Znevýhodnění účastníci aktivní po ukončení účasti", Decimal(4)),
    "6 70 01": ("Kapacita podpořených služeb", Decimal(25)),
    "6 70 10": ("Využívání podpořených služeb", Decimal(60)),
    "6 73 10": ("Bývalí účastníci, u nichž intervence naplnila účel", Decimal(20)),
    "8 05 00": ("Analytické a strategické dokumenty", Decimal(1)),
}


@pytest.fixture
def known(project):
    for number, (start, end) in enumerate((P1, P2, P3), start=1):
        ReportingPeriodFactory(project=project, number=number, start_date=start, end_date=end)
    for code, (name, target) in TARGETS.items():
        ProjectIndicator.objects.create(
            project=project,
            code=code,
            name=name,
            target=target,
            manual_value=Decimal(25) if code == "6 70 01" else None,
        )
    l1 = LocalityFactory(organisation=project.organisation, name="Hvězdov")
    l2 = LocalityFactory(organisation=project.organisation, name="Kuřívody")
    project.localities.set([l1, l2])

    sep_15 = dt.date(2020, 9, 15)
    a = enrol(
        project,
        birth_date=dt.date(1985, 3, 14),
        disadvantages=("PBOBP",),
        locality=l1,
        last_name="Adamová",
    )
    support(project, a.client, 24 * HOURS, day=sep_15)
    support(project, a.client, 16 * HOURS - 1, day=sep_15)

    b = enrol(
        project,
        gender="POHMUZI",
        birth_date=dt.date(2003, 1, 10),
        labour="TPSTUD",
        disadvantages=("ZNMIG", "PBOBP"),
        locality=l1,
        last_name="Beneš",
    )
    support(project, b.client, 24 * HOURS, day=sep_15)
    support(project, b.client, 16 * HOURS, day=sep_15)

    c = enrol(
        project,
        birth_date=dt.date(1960, 5, 1),
        labour="TPSTD",
        education="VZISCED3-4",
        locality=l2,
        last_name="Cibulková",
    )
    support(project, c.client, 20 * HOURS, day=dt.date(2020, 10, 1))
    support(project, c.client, 20 * HOURS, day=dt.date(2021, 8, 2))

    d = enrol(
        project,
        birth_date=dt.date(1999, 6, 1),
        labour="TNKNEZ",
        education="VZISCED3-4",
        disadvantages=("ZNMIG",),
        entry_date=dt.date(2020, 10, 15),
        exit_date=dt.date(2021, 5, 31),
        exit_situations=("SPUINU", "SPVZD"),
        locality=l2,
        last_name="Dvořáková",
    )
    OutreachContact.objects.create(
        project=project,
        key_activity=KeyActivityFactory(project=project, code="KA OUT"),
        locality=l2,
        date=dt.date(2020, 9, 20),
        head_count=3,
        duration_minutes=60,
        worker=UserFactory(),
        identified_client=d.client,
    )
    support(project, d.client, 40 * HOURS, day=dt.date(2021, 2, 1))

    e = enrol(
        project,
        gender="POHMUZI",
        birth_date=dt.date(1990, 1, 1),
        labour=None,
        locality=l1,
        last_name="Eliáš",
    )
    support(project, e.client, 45 * HOURS, day=dt.date(2020, 11, 2))

    g = enrol(
        project,
        gender="POHMUZI",
        entry_date=dt.date(2021, 1, 15),
        locality=l2,
        last_name="Gregor",
    )
    support(project, g.client, 10 * HOURS, day=dt.date(2021, 1, 10))
    support(project, g.client, 35 * HOURS, day=dt.date(2021, 3, 1))

    OutputDocument.objects.create(
        project=project, title="Koncepce bydlení", published_on=dt.date(2021, 3, 15)
    )
    return {
        "A": a,
        "B": b,
        "C": c,
        "D": d,
        "E": e,
        "G": g,
        "L1": l1,
        "L2": l2,
        "periods": list(project.periods.order_by("number")),
    }
