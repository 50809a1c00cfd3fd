import { defineConfig } from 'drizzle-kit';

// Used only to generate SQL migrations from the schema (`npx nx run db:generate-migration`).
// Partitioning, extensions and storage settings are hand-written steps in the generated files.
export default defineConfig({
  dialect: 'postgresql',
  schema: './libs/db/src/schema/index.ts',
  out: './libs/db/migrations',
});
