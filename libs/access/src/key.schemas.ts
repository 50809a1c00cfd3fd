import { NAMESPACE_PATTERN, isStorableText, UNSTORABLE_TEXT_MESSAGE } from '@mnemolite/common';
import { z } from 'zod';
import { ALL_NAMESPACES } from './principal';
import { ROLES } from './roles';

export const MAX_KEY_NAME = 100;
export const MAX_KEY_NAMESPACES = 100;

const namespaceEntry = z.string().refine((value) => value === ALL_NAMESPACES || NAMESPACE_PATTERN.test(value), {
  message: 'must be "*" or a namespace name: 1-64 characters of letters, digits, ".", "_" or "-"',
});

/** `POST /v1/admin/keys` and `keys create`: every field required, each problem named by its path. */
export const createKeySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_KEY_NAME, `must be at most ${MAX_KEY_NAME} characters`)
      .refine(isStorableText, UNSTORABLE_TEXT_MESSAGE)
      .describe('What the key is for (shown in listings), e.g. "ci" or "alice laptop".'),
    role: z.enum(ROLES).describe('`read`: GET and searches; `write`: also every other write; `admin`: also /v1/admin.'),
    namespaces: z
      .array(namespaceEntry)
      .min(1, 'must name at least one namespace, or be ["*"] for all')
      .max(MAX_KEY_NAMESPACES, `must name at most ${MAX_KEY_NAMESPACES} namespaces`)
      .refine((list) => !list.includes(ALL_NAMESPACES) || list.length === 1, 'must be ["*"] alone, or a list of names without "*"')
      .transform((list) => [...new Set(list)])
      .describe('The namespaces the key may use, or ["*"] for all of them.'),
  })
  .strict()
  .meta({ id: 'CreateApiKey' });

export type CreateKeyInput = z.input<typeof createKeySchema>;

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(ROLES),
    namespaces: z.array(z.string()),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().nullable().describe('Written at most about once a minute per key.'),
    revoked_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export type ApiKeyView = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(ROLES),
    namespaces: z.array(z.string()),
    key: z.string().describe('The secret, shown this once: only its SHA-256 is stored.'),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'CreatedApiKey' });

export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const keyIdParamsSchema = z.object({ id: z.guid('must be a UUID').transform((id) => id.toLowerCase()) });
