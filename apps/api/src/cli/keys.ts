/**
 * API key management for operators, against the API's own database (same configuration: DATABASE_URL,
 * or the embedded engine in MNEMO_DATA_DIR), through the same service as `/v1/admin/keys`:
 *
 *   npx nx run api:keys -- create --name ci --role write --namespace team-a [--namespace team-b | --namespace '*'] [--json]
 *   npx nx run api:keys -- list [--json]
 *   npx nx run api:keys -- revoke <id>
 *
 * Creating the first key switches a running API from open mode to keys within a second, without a
 * restart. The embedded engine admits one process at a time: while the API runs on it, this refuses
 * (exit 3) and points to the admin endpoint instead.
 */
import { parseArgs } from 'node:util';
import { AccessService, createKeySchema, keyIdParamsSchema, type ApiKeyView } from '@mnemolite/access';
import { isAppError, loadConfigOrExit } from '@mnemolite/common';
import { createDb, runMigrations, type DbHandle } from '@mnemolite/db';
import { ZodError } from 'zod';
import { apiConfigSchema } from '../config';

const USAGE = [
  'Usage:',
  '  npx nx run api:keys -- create --name NAME --role read|write|admin --namespace NS [--namespace NS ...] [--json]',
  "      (--namespace '*' for every namespace)",
  '  npx nx run api:keys -- list [--json]',
  '  npx nx run api:keys -- revoke ID',
].join('\n');

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (!['create', 'list', 'revoke'].includes(command ?? '') || (command === 'revoke' ? rest.length !== 1 : rest.length !== 0)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  // Bad input is refused before the database is opened (which takes seconds on the embedded engine).
  const input =
    command === 'create'
      ? createKeySchema.safeParse({ name: values.name, role: values.role, namespaces: values.namespace })
      : command === 'revoke'
        ? keyIdParamsSchema.safeParse({ id: rest[0] })
        : undefined;
  if (input && !input.success) return reportInvalid(input.error);

  const config = loadConfigOrExit(apiConfigSchema);

  let database: DbHandle;
  try {
    database = await createDb({ ...config.database, applicationName: 'mnemolite-keys-cli' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/in use by process/.test(message)) {
      process.stderr.write(
        `${message}\nThe running API owns the embedded database, so manage keys through it instead: ` +
          `POST/GET /v1/admin/keys and DELETE /v1/admin/keys/{id} with an admin key (for example API_KEY), e.g.\n` +
          `  curl -X POST -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' ` +
          `-d '{"name":"ci","role":"write","namespaces":["team-a"]}' http://${config.host}:${config.port}/v1/admin/keys\n` +
          'Or stop the API, run this command, and start it again.\n',
      );
      return 3;
    }
    throw error;
  }

  try {
    await runMigrations(database, config.migrationsDir);
    const access = new AccessService({ db: database.db });
    if (command === 'create') {
      const created = await access.create({ name: values.name, role: values.role, namespaces: values.namespace });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(created)}\n`);
      } else {
        process.stdout.write(
          `Created API key "${created.name}" (id ${created.id}, role ${created.role}, namespaces ${created.namespaces.join(', ')}).\n` +
            'The key is shown this once; only its SHA-256 is stored:\n' +
            `${created.key}\n`,
        );
      }
    } else if (command === 'list') {
      const keys = await access.list();
      process.stdout.write(values.json ? `${JSON.stringify(keys)}\n` : formatTable(keys));
    } else {
      const revoked = await access.revoke(rest[0]);
      process.stdout.write(`Revoked API key "${revoked.name}" (id ${revoked.id}) at ${revoked.revoked_at}.\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ZodError) return reportInvalid(error);
    if (isAppError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

/** Each problem named by its flag, as the admin endpoint names the field. */
function reportInvalid(error: ZodError): number {
  const flags: Record<string, string> = { name: '--name', role: '--role', namespaces: '--namespace', id: 'ID' };
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    process.stderr.write(`${flags[field] ?? field}${issue.path.length > 1 ? ` #${Number(issue.path[1]) + 1}` : ''}: ${issue.message}\n`);
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function formatTable(keys: ApiKeyView[]): string {
  if (keys.length === 0) return 'No API keys.\n';
  const rows = [
    ['ID', 'NAME', 'ROLE', 'NAMESPACES', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((key) => [
      key.id,
      key.name,
      key.role,
      key.namespaces.join(','),
      key.created_at,
      key.last_used_at ?? '-',
      key.revoked_at ?? '-',
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
