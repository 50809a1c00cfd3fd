import { z } from 'zod';
import { documentedSettings, schemaDefaults } from './documented-settings';

const MARKDOWN = `
## Configuration

### Server

| variable | default | meaning |
|---|---|---|
| \`PORT\` | \`8000\` | TCP port |
| \`BODY_BYTES\` | \`1024\` (1 KiB) | larger bodies get 413 |
| \`TOKEN\` | *(unset)* | a secret |

### Models

| variable | default | meaning |
|---|---|---|
| \`MODEL\` | \`small\` | model id |

### Helper

| variable | default | meaning |
|---|---|---|
| \`HELPER\` | \`true\` | on |
| \`PORT\`, \`TOKEN\`, \`POOL\` (\`5\`), the model variables | as for the server | shared |

### Tests

| variable | meaning |
|---|---|
| \`X\` | y |
`;

const options = { groups: { 'the model variables': '### Models' }, inherit: { 'as for the server': ['### Server', '### Models'] } };

describe('documentedSettings', () => {
  it('reads names and defaults; an italic note is no default', () => {
    expect(documentedSettings(MARKDOWN, '### Server')).toEqual(
      new Map([
        ['PORT', '8000'],
        ['BODY_BYTES', '1024'],
        ['TOKEN', undefined],
      ]),
    );
  });

  it('expands a row of several variables, taking own defaults first, then the referenced tables', () => {
    expect(documentedSettings(MARKDOWN, '### Helper', options)).toEqual(
      new Map([
        ['HELPER', 'true'],
        ['PORT', '8000'],
        ['TOKEN', undefined],
        ['POOL', '5'],
        ['MODEL', 'small'],
      ]),
    );
  });

  it('fails on what it cannot read rather than skipping it', () => {
    expect(() => documentedSettings(MARKDOWN, '### Missing')).toThrow(/no heading/);
    expect(() => documentedSettings(MARKDOWN, '### Tests')).toThrow(/not a variable \| default table/);
    // Without the options, the row's words are unknown and POOL's neighbors have no default to inherit.
    expect(() => documentedSettings(MARKDOWN, '### Helper')).toThrow(/cannot read the variable cell/);
    expect(() => documentedSettings(MARKDOWN, '### Helper', { inherit: options.inherit })).toThrow(/the model variables/);
  });
});

describe('schemaDefaults', () => {
  it("writes each variable's default as the documentation does; optional and empty lists have none", () => {
    const schema = z.object({
      PORT: z.coerce.number().default(8000),
      FLAG: z.boolean().default(true),
      TOKEN: z.string().optional(),
      ROOTS: z
        .string()
        .default('')
        .transform((value) => value.split(',').filter(Boolean)),
      REQUIRED: z.string(),
    });
    expect(schemaDefaults(schema)).toEqual(
      new Map([
        ['PORT', '8000'],
        ['FLAG', 'true'],
        ['TOKEN', undefined],
        ['ROOTS', undefined],
        ['REQUIRED', undefined],
      ]),
    );
  });
});
