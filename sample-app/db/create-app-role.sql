-- A login role for the sample with only what it needs, and server-side limits of its own.
-- Run once per database as a superuser or the database owner, e.g.
--   psql -d tickers -f sample-app/db/create-app-role.sql
-- then give the role a password without it landing in a file or your shell history:
--   psql -d tickers -c '\password ticker_app'
-- and start the app with SPRING_DATASOURCE_USERNAME=ticker_app, SPRING_DATASOURCE_PASSWORD=...
-- and POOLGUARD_SECURITY_ALLOW_SUPERUSER=false.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ticker_app') THEN
        CREATE ROLE ticker_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
            CONNECTION LIMIT 20;
    END IF;
END
$$;

-- Limits that hold even for a client that sends no startup options (psql, a cron script).
ALTER ROLE ticker_app SET statement_timeout = '30s';
ALTER ROLE ticker_app SET idle_in_transaction_session_timeout = '5min';
ALTER ROLE ticker_app SET lock_timeout = '10s';

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ticker_app', current_database());
END
$$;

-- Flyway creates the sample's tables as this role, so it owns them; nothing else is granted.
GRANT USAGE, CREATE ON SCHEMA public TO ticker_app;
