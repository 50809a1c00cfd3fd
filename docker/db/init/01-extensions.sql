-- Extensions MnemoLite uses, created by the superuser in the application database (POSTGRES_DB) so that
-- the application role needs no CREATE privilege for them. The API's migrations use IF NOT EXISTS.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
