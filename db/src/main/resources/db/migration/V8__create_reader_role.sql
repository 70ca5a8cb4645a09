-- dks_reader: a role that may read every table and write none, for the dashboard's own database
-- user where one is configured (dks.dashboard.datasource.*). Roles belong to the whole PostgreSQL
-- server, so it is created only when the migrating user may create roles; otherwise this leaves a
-- notice and an administrator runs the statements of db/README.md.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dks_reader') THEN
        BEGIN
            CREATE ROLE dks_reader NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role dks_reader not created (%); see db/README.md', SQLERRM;
            RETURN;
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO dks_reader', current_schema());
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO dks_reader', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO dks_reader',
                   current_schema());
END
$$;
