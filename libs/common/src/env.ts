import { z } from 'zod';

/** A configuration the process cannot start with; `problems` lists every one, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses environment variables with a zod schema, or throws a ConfigError naming each bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)),
    );
  }
  return parsed.data;
}

/** Where `loadConfigOrExit` reports and how it ends the process (tests pass their own). */
export interface ConfigExit {
  write(text: string): void;
  exit(code: number): never;
}

const processExit: ConfigExit = {
  write: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/**
 * An app's start: parses the environment with the app's config schema, or prints every invalid
 * variable by name on stderr (never stdout, which is the stdio MCP server's protocol) and exits 2.
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env, io = processExit): z.output<S> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.write(`${error.message}\n`);
    return io.exit(2);
  }
}

/** An optional string variable; empty or blank means unset. */
export const envOptionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value));

/** An optional positive whole number; empty means unset. */
export const envOptionalPositiveInt = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : Number(value)))
  .pipe(z.number().int().positive().optional())
  .optional();

/** A boolean variable: true/false, 1/0, yes/no (any case); empty means false. */
export const envFlag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => (value === '' ? 'false' : value))
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((value) => ['true', '1', 'yes'].includes(value));

/** An optional PostgreSQL connection URL; empty means unset. */
export const envPostgresUrl = envOptionalString
  .pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  )
  .optional();
