import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_NAMES } from '../tool-names';

/** A request to the REST API (`/v1/...`) with the test's credentials; answers status and JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RestProbe = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface ExerciseOptions {
  /** A directory inside the server's CODE_INDEX_ROOTS holding `util.ts` and `app.ts` (see `writeSampleRepository`). */
  directory: string;
}

export const SAMPLE_FILES: Record<string, string> = {
  'util.ts': 'export function helper(value: number): number {\n  return value * 2;\n}\n',
  'app.ts': "import { helper } from './util';\n\nexport function main(): number {\n  return helper(21);\n}\n",
};

function text(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

/**
 * Calls every tool once (and a few more with bad arguments) through an MCP client, checking each
 * effect through the REST API, so the same scenario proves both transports and both backends.
 */
export async function exerciseAllTools(client: Client, rest: RestProbe, options: ExerciseOptions): Promise<Set<string>> {
  const called = new Set<string>();
  const call = async (name: string, args: Record<string, unknown>, onprogress?: (progress: Progress) => void): Promise<CallToolResult> => {
    called.add(name);
    return (await client.callTool({ name, arguments: args }, undefined, onprogress ? { onprogress } : undefined)) as CallToolResult;
  };
  const success = async (name: string, args: Record<string, unknown>, onprogress?: (progress: Progress) => void) => {
    const result = await call(name, args, onprogress);
    if (result.isError) throw new Error(`${name} failed: ${text(result)}`);
    expect(text(result).length).toBeGreaterThan(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return result.structuredContent as any;
  };

  const listed = await client.listTools();
  expect(listed.tools.map((tool) => tool.name).sort()).toEqual([...TOOL_NAMES].sort());
  for (const tool of listed.tools) {
    expect(tool.description?.length).toBeGreaterThan(40);
    expect(typeof tool.annotations?.readOnlyHint).toBe('boolean');
    expect(tool.inputSchema.type).toBe('object');
    // Every argument says what it is for, down to the fields of array items.
    for (const [name, schema] of Object.entries(tool.inputSchema.properties ?? {}) as [
      string,
      { description?: string; items?: { properties?: object } },
    ][]) {
      expect(`${tool.name}.${name}: ${schema.description ?? ''}`).toMatch(/: \S/);
      for (const [field, item] of Object.entries(schema.items?.properties ?? {}) as [string, { description?: string }][]) {
        expect(`${tool.name}.${name}[].${field}: ${item.description ?? ''}`).toMatch(/: \S/);
      }
    }
  }
  expect(listed.tools.find((tool) => tool.name === 'memory_delete')?.annotations?.destructiveHint).toBe(true);

  // memory
  const { event: first } = await success('memory_write', { text: 'Deploys go out on Tuesdays', metadata: { topic: 'ops' } });
  expect((await rest('GET', `/v1/events/${first.id}`)).body.content).toEqual({ text: 'Deploys go out on Tuesdays' });

  const { ids } = await success('memory_write_many', {
    memories: [
      { text: 'The cache is Redis', metadata: { topic: 'arch' } },
      { text: 'The queue lives in PostgreSQL', metadata: { topic: 'arch' }, timestamp: '2026-01-15T10:00:00Z' },
    ],
  });
  expect(ids).toHaveLength(2);
  const arch = await rest('GET', `/v1/events?metadata=${encodeURIComponent('{"topic":"arch"}')}`);
  expect(arch.body.total).toBe(2);

  // All or nothing: one bad memory, none stored; the message names the field.
  const partial = await call('memory_write_many', { memories: [{ text: 'valid one' }, { text: 'bad time', timestamp: 'yesterday' }] });
  expect(partial.isError).toBe(true);
  expect(text(partial)).toContain('memories[1].timestamp');
  expect((await rest('GET', '/v1/events')).body.total).toBe(3);

  const search = await success('memory_search', { query: 'Redis cache', mode: 'lexical', metadata: { topic: 'arch' } });
  expect(search.results[0].event.id).toBe(ids[0]);

  expect((await success('memory_get', { id: first.id })).event.content.text).toBe('Deploys go out on Tuesdays');

  await success('memory_update_metadata', { id: first.id, metadata: { status: 'confirmed' } });
  expect((await rest('GET', `/v1/events/${first.id}`)).body.metadata).toEqual({ topic: 'ops', status: 'confirmed' });

  const recent = await success('memory_list_recent', { limit: 2 });
  expect(recent.items).toHaveLength(2);
  expect(recent.total).toBe(3);

  // graph
  const { node } = await success('graph_create_node', { type: 'person', label: 'Ada' });
  expect((await rest('GET', `/v1/graph/nodes/${node.id}`)).status).toBe(200);
  await success('graph_link', { source: node.id, target: first.id, relation: 'decided' });
  expect((await rest('GET', `/v1/graph/nodes/${node.id}`)).body.edges).toHaveLength(1);
  const neighbors = await success('graph_neighbors', { id: node.id });
  expect(neighbors.nodes.map((n: { id: string }) => n.id)).toEqual([first.id]);
  const path = await success('graph_shortest_path', { from: node.id, to: first.id });
  expect(path.found).toBe(true);
  expect(path.nodes.map((n: { id: string }) => n.id)).toEqual([node.id, first.id]);

  await success('memory_delete', { id: first.id });
  expect((await rest('GET', `/v1/events/${first.id}`)).status).toBe(404);

  // code: given files, then a directory with progress notifications
  const files = Object.entries(SAMPLE_FILES).map(([p, content]) => ({ path: `src/${p}`, content }));
  const fromFiles = await success('code_index', { repository: 'sample-files', files });
  expect(fromFiles.files_indexed).toBe(2);
  const progress: Progress[] = [];
  const fromDirectory = await success('code_index', { repository: 'sample', path: options.directory }, (p) => progress.push(p));
  expect(fromDirectory.files_indexed).toBe(2);
  // The start notification always arrives; later ones may race the result in the SDK's client (the
  // exact sequence is checked in code.tools.spec.ts).
  expect(progress[0]).toMatchObject({ progress: 0 });
  expect(progress.every((p, i) => (i === 0 || p.progress > progress[i - 1].progress) && p.progress <= (p.total ?? 2))).toBe(true);
  const repositories = (await rest('GET', '/v1/code/repositories')).body.map((r: { repository: string }) => r.repository).sort();
  expect(repositories).toEqual(['sample', 'sample-files']);

  const found = await success('code_search', { query: 'helper', repository: 'sample', mode: 'lexical' });
  expect(found.results[0].chunk.name).toBe('helper');
  const callers = await success('code_callers', { repository: 'sample', symbol: 'helper' });
  expect(callers.nodes.map((n: { label: string }) => n.label)).toContain('main');
  const callees = await success('code_callees', { repository: 'sample', symbol: 'main' });
  expect(callees.nodes.map((n: { label: string }) => n.label)).toContain('helper');
  const listedRepos = await success('code_repositories', {});
  expect(listedRepos.repositories.find((r: { repository: string }) => r.repository === 'sample').files).toBe(2);

  const deleted = await success('code_delete_repository', { repository: 'sample-files' });
  expect(deleted.deleted.files).toBe(2);
  expect((await rest('GET', '/v1/code/repositories')).body.map((r: { repository: string }) => r.repository)).toEqual(['sample']);

  const health = await success('health', {});
  expect(health.status).toBe('ok');
  expect(health.counts).toEqual({ memories: 2, repositories: 1, code_files: 2, code_chunks: expect.any(Number) });

  // Bad arguments and unknown things are tool results with isError, naming the field or the thing.
  const badId = await call('memory_get', { id: 'not-a-uuid' });
  expect(badId.isError).toBe(true);
  expect(text(badId)).toMatch(/\bid\b/);
  const badLimit = await call('memory_search', { query: 'x', limit: 500 });
  expect(badLimit.isError).toBe(true);
  expect(text(badLimit)).toContain('limit');
  const neither = await call('code_index', { repository: 'x' });
  expect(neither.isError).toBe(true);
  expect(text(neither)).toMatch(/"path".*"files"/);
  const unknown = await call('memory_get', { id: '00000000-0000-4000-8000-000000000000' });
  expect(unknown.isError).toBe(true);
  expect(text(unknown)).toMatch(/not found|no event/i);
  const outside = await call('code_index', { repository: 'x', path: '/etc' });
  expect(outside.isError).toBe(true);
  expect(text(outside)).toMatch(/CODE_INDEX_ROOTS|outside|not allowed/i);
  const missingNode = await call('graph_link', { source: node.id, target: '00000000-0000-4000-8000-000000000000', relation: 'x' });
  expect(missingNode.isError).toBe(true);
  for (const result of [badId, badLimit, neither, unknown, outside, missingNode]) expect(text(result)).not.toMatch(/\n\s+at /);

  return called;
}
