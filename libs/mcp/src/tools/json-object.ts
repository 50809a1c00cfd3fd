import { jsonObjectSchema } from '@mnemolite/memory';

/**
 * A free-form JSON object argument (metadata, properties), validated as the REST API validates it.
 * Its JSON Schema says `additionalProperties: true` outright: an empty schema there means the same
 * but reads, to schema checkers such as the MCP Inspector's, as a constraint forgotten.
 */
export const jsonObjectArg = jsonObjectSchema.meta({ additionalProperties: true });
