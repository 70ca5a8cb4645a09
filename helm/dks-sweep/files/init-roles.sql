-- Run once by the bundled PostgreSQL when its data directory is first created (the official image
-- runs /docker-entrypoint-initdb.d/ as the superuser), with psql variables app_password and
-- reader_password from the chart's Secret. The application's user owns its database and schema but
-- is no superuser and cannot create roles; the dashboard's user can only read (dks_reader: the
-- application's migration V8 grants it SELECT on every table, now and later).
CREATE ROLE dks LOGIN PASSWORD :'app_password';
CREATE DATABASE dks OWNER dks;
CREATE ROLE dks_reader NOLOGIN;
CREATE ROLE dks_dashboard LOGIN PASSWORD :'reader_password' IN ROLE dks_reader;
\connect dks
-- only the owner creates objects in the schema (PostgreSQL's default from version 15 on, not before)
ALTER SCHEMA public OWNER TO dks;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
