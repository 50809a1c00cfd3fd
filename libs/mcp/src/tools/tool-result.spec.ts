import { Writable } from 'node:stream';
import { createLogger, NotFoundError, ValidationError } from '@mnemolite/common';
import { z } from 'zod';
import { ok, runTool, snippet } from './tool-result';

function textOf(result: Awaited<ReturnType<typeof runTool>>): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('');
}

describe('tool results', () => {
  it('passes a successful result through', async () => {
    const result = await runTool('t', undefined, async () => ok({ a: 1 }, 'done'));
    expect(result).toEqual({ content: [{ type: 'text', text: 'done' }], structuredContent: { a: 1 } });
  });

  it('names the fields of a zod error', async () => {
    const result = await runTool('t', undefined, async () => {
      z.object({ limit: z.number().max(5) }).parse({ limit: 9 });
      return ok({}, '');
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Invalid arguments: "limit": /);
  });

  it('keeps the message of known errors, with field details', async () => {
    const notFound = await runTool('t', undefined, async () => {
      throw new NotFoundError('Event 1 not found.');
    });
    expect(notFound).toEqual({ content: [{ type: 'text', text: 'Event 1 not found.' }], isError: true });
    const invalid = await runTool('t', undefined, async () => {
      throw new ValidationError('The request is invalid.', [{ path: 'events.0.timestamp', message: 'Expected a date' }]);
    });
    expect(textOf(invalid)).toBe('The request is invalid. "events.0.timestamp": Expected a date');
  });

  it('hides unknown errors (SQL, stacks) from the model and logs them in full', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { level: 'error', name: 'mcp' },
      new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
    );
    const result = await runTool('memory_write', logger, async () => {
      throw new Error('relation "events" does not exist at character 15');
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"memory_write" failed with an internal error');
    expect(textOf(result)).not.toContain('relation');
    expect(lines.join('')).toContain('relation \\"events\\" does not exist');
  });

  it('cuts snippets to one line of at most max characters', () => {
    expect(snippet('a\n  b', 10)).toBe('a b');
    expect(snippet('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
