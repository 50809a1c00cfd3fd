-- The database TEST_DATABASE_URL points at (`make test`): the same extensions as the application
-- database. Each test file creates, migrates and drops its own database on this server.
SELECT 'CREATE DATABASE mnemolite_test'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mnemolite_test')\gexec

\connect mnemolite_test
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;
