"""SQL of the audit triggers, used by the audit app's migrations.

Tracking a table is one statement, ``track_table_sql(table, client=..., project=...)``, in a new
migration of this app (never in the tracked app's own). ``client`` and ``project`` are *paths*
that lead from the changed row to the client and project ids the event is filed under:

- ``"client_id"``: a column of the row;
- ``"plan_id:clients_individualplan.client_id"``: follow ``plan_id`` to that table's column;
  hops chain (``"a_id:t1.b_id:t2.client_id"``), one indexed primary-key look-up each;
- ``""``: none.
"""

FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION audit_resolve(path text, rec jsonb) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    parts text[];
    val text;
    i int;
BEGIN
    IF path IS NULL OR path = '' THEN
        RETURN NULL;
    END IF;
    parts := string_to_array(path, ':');
    val := rec ->> parts[1];
    FOR i IN 2 .. array_length(parts, 1) LOOP
        EXIT WHEN val IS NULL;
        EXECUTE format(
            'SELECT (%I)::text FROM %I WHERE id = $1',
            split_part(parts[i], '.', 2),
            split_part(parts[i], '.', 1)
        ) INTO val USING val::bigint;
    END LOOP;
    RETURN val::bigint;
END
$$;

-- One row per created, changed or deleted row: only the changed columns of an update, and no
-- row at all for an update that changed nothing.
CREATE OR REPLACE FUNCTION audit_record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    rec jsonb;
    diff jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    rec := coalesce(new_row, old_row);
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(n.key, jsonb_build_array(old_row -> n.key, n.value)) INTO diff
        FROM jsonb_each(new_row) AS n
        WHERE n.value IS DISTINCT FROM old_row -> n.key;
        IF diff IS NULL THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT jsonb_object_agg(key, jsonb_build_array(NULL, value)) INTO diff
        FROM jsonb_each(new_row);
    ELSE
        SELECT jsonb_object_agg(key, jsonb_build_array(value, NULL)) INTO diff
        FROM jsonb_each(old_row);
    END IF;
    INSERT INTO audit_changeevent
        (occurred_at, "table", row_id, action, user_id, client_id, project_id, changes)
    VALUES (
        now(),
        TG_TABLE_NAME,
        rec ->> 'id',
        left(TG_OP, 1),
        nullif(current_setting('casework.user_id', true), '')::integer,
        audit_resolve(TG_ARGV[0], rec),
        audit_resolve(TG_ARGV[1], rec),
        diff
    );
    RETURN NULL;
END
$$;

-- Audit rows are append-only. The one allowed change is a redaction by audit_redact_client,
-- which switches casework.audit_redaction on for its own transaction and may replace only the
-- recorded values (changes) and stamp redacted_at.
CREATE OR REPLACE FUNCTION audit_forbid_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('casework.audit_redaction', true) = 'on'
        AND to_jsonb(NEW) - 'changes' - 'redacted_at' = to_jsonb(OLD) - 'changes' - 'redacted_at'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit rows cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- The controlled path for anonymisation: every recorded change of the client and of the listed
-- rows ('table#id', e.g. a visit to the client alone) keeps its who/when/what but loses its
-- values; any other change whose values contain one of the terms (the client's name in a group
-- session's record) loses those words. Returns the number of rows redacted.
CREATE OR REPLACE FUNCTION audit_redact_client(p_client bigint, p_terms text[], p_rows text[])
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    redacted integer;
    pattern text;
BEGIN
    SELECT string_agg(regexp_replace(t, '([\\.^$*+?()\[\]{}|-])', '\\\1', 'g'), '|')
    INTO pattern
    FROM unnest(p_terms) AS t
    WHERE length(t) >= 3;
    PERFORM set_config('casework.audit_redaction', 'on', true);
    UPDATE audit_changeevent
    SET changes = CASE
            WHEN client_id = p_client OR "table" || '#' || row_id = ANY(p_rows) THEN (
                SELECT coalesce(jsonb_object_agg(
                    key,
                    CASE WHEN key = 'id' OR key LIKE '%\_id' THEN value
                         ELSE '["[redacted]", "[redacted]"]'::jsonb END
                ), '{}'::jsonb)
                FROM jsonb_each(changes)
            )
            ELSE regexp_replace(changes::text, pattern, '[redacted]', 'gi')::jsonb
        END,
        redacted_at = now()
    WHERE client_id = p_client
        OR "table" || '#' || row_id = ANY(p_rows)
        OR (pattern IS NOT NULL AND changes::text ~* pattern);
    GET DIAGNOSTICS redacted = ROW_COUNT;
    PERFORM set_config('casework.audit_redaction', 'off', true);
    RETURN redacted;
END
$$;
"""

DROP_FUNCTIONS_SQL = """
DROP FUNCTION IF EXISTS audit_redact_client(bigint, text[], text[]);
DROP FUNCTION IF EXISTS audit_forbid_change() CASCADE;
DROP FUNCTION IF EXISTS audit_record_change() CASCADE;
DROP FUNCTION IF EXISTS audit_resolve(text, jsonb);
"""

TRIGGER_NAME = "audit_record_change"

# TRUNCATE skips the row triggers, so it gets a statement trigger of its own. The test suite's
# database flush (and nothing in the application) switches this setting on for its transaction.
ALLOW_TRUNCATE_SETTING = "casework.allow_audit_truncate"

FORBID_TRUNCATE_SQL = f"""
CREATE OR REPLACE FUNCTION audit_forbid_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{ALLOW_TRUNCATE_SETTING}', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit tables cannot be truncated (%)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

DROP_FORBID_TRUNCATE_SQL = "DROP FUNCTION IF EXISTS audit_forbid_truncate() CASCADE;"


def protect_table_from_truncate_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_forbid_truncate();"
    )


def protect_table_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_forbid_change();"
    )


def track_table_sql(table: str, *, client: str = "", project: str = "") -> str:
    return (
        f"CREATE TRIGGER {TRIGGER_NAME} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION audit_record_change('{client}', '{project}');"
    )


def untrack_table_sql(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {table};"
