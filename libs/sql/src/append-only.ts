/**
 * The one definition of an append-only table: UPDATE, DELETE and TRUNCATE are refused by the
 * database itself, whatever the code above it does. `refusal` starts the error message (it names
 * the table, never a row). Idempotent DDL.
 */
export function appendOnly(table: string, refusal: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new TypeError('appendOnly: a plain table name is required');
  const message = refusal.replace(/'/g, "''");
  return `
CREATE OR REPLACE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%: % is not allowed', TG_ARGV[0], TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS ${table}_no_update_or_delete ON ${table};
CREATE TRIGGER ${table}_no_update_or_delete BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table('${message}');
DROP TRIGGER IF EXISTS ${table}_no_truncate ON ${table};
CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table('${message}');
`;
}
