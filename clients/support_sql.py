"""The database side of ``EnrolmentSupport``: one refresh function and the triggers that call it.

``clients_refresh_support(enrolment_ids)`` recomputes the stored support of those enrolments
from the intervention log with the one definition of valid support (DOMAIN.md §2): the
interventions of the enrolment's project at which the client was an identified participant,
dated from the entry to the exit date. The running sum orders by date, then intervention id,
as ``reports.queries`` always has, so a threshold reached twice on one day keeps its date.

The triggers are statement-level with transition tables: a COPY of 250 000 participations or
an ``.update()`` over a whole project refreshes each affected enrolment once, in one query.

Concurrent writers: each refresh first takes a transaction-scoped advisory lock per enrolment
(in id order) and only then reads the log in a new snapshot, so of two transactions adding
support for the same client the second waits for the first and counts its rows too.
"""

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION clients_refresh_support(enrolment_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF enrolment_ids IS NULL OR cardinality(enrolment_ids) = 0 THEN
        RETURN;
    END IF;
    -- 872301: this refresh's own advisory-lock namespace.
    PERFORM pg_advisory_xact_lock(872301, id::integer)
    FROM (SELECT DISTINCT unnest(enrolment_ids) AS id ORDER BY 1) AS ids;

    INSERT INTO clients_enrolmentsupport AS s
        (enrolment_id, first_support_on, last_support_on, threshold_crossed_on, support_minutes)
    SELECT e.id,
           MIN(r.date),
           MAX(r.date),
           MIN(r.date) FILTER (WHERE r.running >= p.participant_threshold_minutes),
           COALESCE(MAX(r.running), 0)
    FROM clients_enrolment e
    JOIN casework_project p ON p.id = e.project_id
    LEFT JOIN LATERAL (
        SELECT i.date,
               SUM(i.duration_minutes) OVER (ORDER BY i.date, i.id) AS running
        FROM casework_interventionparticipant ip
        JOIN casework_intervention i ON i.id = ip.intervention_id
        WHERE ip.client_id = e.client_id
          -- Neither condition can use an index on purpose: the client's participations, by
          -- their index, drive the plan. As comparisons, PostgreSQL misjudges them and reads
          -- the whole date range of interventions per enrolment (70 ms instead of 1 ms).
          AND i.project_id + 0 = e.project_id
          AND daterange(e.entry_date, e.exit_date, '[]') @> i.date
    ) r ON true
    WHERE e.id = ANY(enrolment_ids)
    GROUP BY e.id
    ON CONFLICT (enrolment_id) DO UPDATE SET
        first_support_on = EXCLUDED.first_support_on,
        last_support_on = EXCLUDED.last_support_on,
        threshold_crossed_on = EXCLUDED.threshold_crossed_on,
        support_minutes = EXCLUDED.support_minutes
    WHERE (s.first_support_on, s.last_support_on, s.threshold_crossed_on, s.support_minutes)
        IS DISTINCT FROM (EXCLUDED.first_support_on, EXCLUDED.last_support_on,
                          EXCLUDED.threshold_crossed_on, EXCLUDED.support_minutes);
END;
$$;

-- Participations added, removed or moved: every enrolment of the clients concerned.
CREATE OR REPLACE FUNCTION clients_support_after_participants() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM clients_refresh_support(ARRAY(
            SELECT e.id FROM clients_enrolment e
            WHERE e.client_id IN (SELECT client_id FROM changed_new)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM clients_refresh_support(ARRAY(
            SELECT e.id FROM clients_enrolment e
            WHERE e.client_id IN (SELECT client_id FROM changed_old)));
    ELSE
        PERFORM clients_refresh_support(ARRAY(
            SELECT e.id FROM clients_enrolment e
            WHERE e.client_id IN (SELECT client_id FROM changed_old
                                  UNION SELECT client_id FROM changed_new)));
    END IF;
    RETURN NULL;
END;
$$;

-- An intervention's date, duration or project changed: its participants' enrolments.
CREATE OR REPLACE FUNCTION clients_support_after_interventions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM clients_refresh_support(ARRAY(
        SELECT e.id FROM clients_enrolment e
        WHERE e.client_id IN (
            SELECT ip.client_id
            FROM changed_new n
            JOIN changed_old o ON o.id = n.id
            JOIN casework_interventionparticipant ip ON ip.intervention_id = n.id
            WHERE (n.date, n.duration_minutes, n.project_id)
                IS DISTINCT FROM (o.date, o.duration_minutes, o.project_id))));
    RETURN NULL;
END;
$$;

-- New enrolments, or entry/exit dates (or the pair itself) changed.
CREATE OR REPLACE FUNCTION clients_support_after_enrolments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM clients_refresh_support(ARRAY(SELECT id FROM changed_new));
    ELSE
        PERFORM clients_refresh_support(ARRAY(
            SELECT n.id FROM changed_new n JOIN changed_old o ON o.id = n.id
            WHERE (n.entry_date, n.exit_date, n.client_id, n.project_id)
                IS DISTINCT FROM (o.entry_date, o.exit_date, o.client_id, o.project_id)));
    END IF;
    RETURN NULL;
END;
$$;

-- A project's participant threshold changed: all its enrolments.
CREATE OR REPLACE FUNCTION clients_support_after_projects() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM clients_refresh_support(ARRAY(
        SELECT e.id FROM clients_enrolment e
        WHERE e.project_id IN (
            SELECT n.id FROM changed_new n JOIN changed_old o ON o.id = n.id
            WHERE n.participant_threshold_minutes
                IS DISTINCT FROM o.participant_threshold_minutes)));
    RETURN NULL;
END;
$$;
"""

# (table, function, event, transition tables)
TRIGGERS = (
    ("casework_interventionparticipant", "participants", "INSERT", "NEW TABLE AS changed_new"),
    ("casework_interventionparticipant", "participants", "DELETE", "OLD TABLE AS changed_old"),
    (
        "casework_interventionparticipant",
        "participants",
        "UPDATE",
        "OLD TABLE AS changed_old NEW TABLE AS changed_new",
    ),
    (
        "casework_intervention",
        "interventions",
        "UPDATE",
        "OLD TABLE AS changed_old NEW TABLE AS changed_new",
    ),
    ("clients_enrolment", "enrolments", "INSERT", "NEW TABLE AS changed_new"),
    (
        "clients_enrolment",
        "enrolments",
        "UPDATE",
        "OLD TABLE AS changed_old NEW TABLE AS changed_new",
    ),
    (
        "casework_project",
        "projects",
        "UPDATE",
        "OLD TABLE AS changed_old NEW TABLE AS changed_new",
    ),
)


def _trigger_name(table: str, event: str) -> str:
    return f"{table}_support_{event.lower()}"


TRIGGERS_SQL = "\n".join(
    f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
    f"REFERENCING {transition} FOR EACH STATEMENT "
    f"EXECUTE FUNCTION clients_support_after_{function}();"
    for table, function, event, transition in TRIGGERS
)

DROP_SQL = "\n".join(
    [
        *(
            f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)} ON {table};"
            for table, _, event, _ in TRIGGERS
        ),
        "DROP FUNCTION IF EXISTS clients_support_after_participants();",
        "DROP FUNCTION IF EXISTS clients_support_after_interventions();",
        "DROP FUNCTION IF EXISTS clients_support_after_enrolments();",
        "DROP FUNCTION IF EXISTS clients_support_after_projects();",
        "DROP FUNCTION IF EXISTS clients_refresh_support(bigint[]);",
    ]
)

REFRESH_ALL_SQL = "SELECT clients_refresh_support(ARRAY(SELECT id FROM clients_enrolment));"
