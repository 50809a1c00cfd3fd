import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { IndexProgress, IndexReport } from '@mnemolite/code-intel';
import type { CodeIndexInput, MnemoBackend } from '../backend/backend';
import { createMnemoMcpServer } from '../server';

const report: IndexReport = {
  repository: 'big',
  files_indexed: 250,
  files_unchanged: 0,
  files_failed: 0,
  chunks: 900,
  nodes: 900,
  edges: 1200,
  errors: [],
  took_ms: 5,
};

/** A backend whose directory indexing reports three prepared batches, then two written ones; nothing else is expected. */
function indexingBackend(seen: CodeIndexInput[]): MnemoBackend {
  const indexCode = async (input: CodeIndexInput, onProgress?: (progress: IndexProgress) => void) => {
    seen.push(input);
    for (const done of [100, 200, 250]) onProgress?.({ phase: 'prepare', done, total: 250, chunks: 0 });
    for (const done of [50, 120]) onProgress?.({ phase: 'write', done, total: 120, chunks: done * 3 });
    // A repeated report must not be sent (the protocol wants progress to rise).
    onProgress?.({ phase: 'write', done: 120, total: 120, chunks: 360 });
    return report;
  };
  return new Proxy({ via: 'test', indexCode } as unknown as MnemoBackend, {
    get: (target, name) =>
      name in target ? target[name as keyof MnemoBackend] : () => Promise.reject(new Error(`unexpected ${String(name)}`)),
  });
}

async function connect(backend: MnemoBackend): Promise<{ client: Client; sent: JSONRPCMessage[] }> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const sent: JSONRPCMessage[] = [];
  const send = serverTransport.send.bind(serverTransport);
  serverTransport.send = (message, options) => {
    sent.push(message);
    return send(message, options);
  };
  await createMnemoMcpServer(backend, { version: 'test' }).connect(serverTransport);
  const client = new Client({ name: 'spec', version: '1' });
  await client.connect(clientTransport);
  return { client, sent };
}

const progressOf = (sent: JSONRPCMessage[]) =>
  sent.filter((m) => 'method' in m && m.method === 'notifications/progress').map((m) => (m as { params: Record<string, unknown> }).params);

describe('code_index progress notifications', () => {
  it('sends start and per-batch progress, strictly increasing, before the result, when the client gives a progressToken', async () => {
    const seen: CodeIndexInput[] = [];
    const { client, sent } = await connect(indexingBackend(seen));
    const result = (await client.callTool({
      name: 'code_index',
      arguments: { repository: 'big', path: '/src/big' },
      _meta: { progressToken: 'tok-1' },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(seen).toEqual([{ repository: 'big', path: '/src/big' }]);
    expect(progressOf(sent)).toEqual([
      { progressToken: 'tok-1', progress: 0, message: 'indexing /src/big into "big"' },
      { progressToken: 'tok-1', progress: 100, total: 500, message: 'read and parsed 100/250 files' },
      { progressToken: 'tok-1', progress: 200, total: 500, message: 'read and parsed 200/250 files' },
      { progressToken: 'tok-1', progress: 250, total: 500, message: 'read and parsed 250/250 files' },
      { progressToken: 'tok-1', progress: 300, total: 370, message: 'wrote 50/120 changed files, 150 chunks' },
      { progressToken: 'tok-1', progress: 370, total: 370, message: 'wrote 120/120 changed files, 360 chunks' },
    ]);
    const resultIndex = sent.findIndex((m) => 'result' in m && (m.result as CallToolResult).structuredContent !== undefined);
    expect(sent.findLastIndex((m) => 'method' in m && m.method === 'notifications/progress')).toBeLessThan(resultIndex);
    await client.close();
  });

  it('sends none without a progressToken', async () => {
    const { client, sent } = await connect(indexingBackend([]));
    await client.callTool({ name: 'code_index', arguments: { repository: 'big', path: '/src/big' } });
    expect(progressOf(sent)).toEqual([]);
    await client.close();
  });

  it('refuses both or neither of "path" and "files" before any work, naming them', async () => {
    const seen: CodeIndexInput[] = [];
    const { client } = await connect(indexingBackend(seen));
    for (const args of [{ repository: 'big' }, { repository: 'big', path: '/src', files: [{ path: 'a.ts', content: '' }] }]) {
      const result = (await client.callTool({ name: 'code_index', arguments: args })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/"path".*"files"/) });
    }
    expect(seen).toEqual([]);
    await client.close();
  });
});

describe('code tools repository names', () => {
  it('refuses the repository names and file paths REST refuses, naming the field, before any work', async () => {
    const seen: CodeIndexInput[] = [];
    const { client } = await connect(indexingBackend(seen));
    for (const repository of ['../etc', '/abs', 'a//b', 'has space', '', 'ok/']) {
      const result = (await client.callTool({ name: 'code_index', arguments: { repository, path: '/src' } })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('repository') });
    }
    expect(seen).toEqual([]);
    for (const path of ['../outside.ts', '/etc/passwd', 'src/./a.ts', 'C:/x.ts']) {
      const result = (await client.callTool({
        name: 'code_index',
        arguments: { repository: 'big', files: [{ path, content: 'x' }] },
      })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('path') });
    }
    expect(seen).toEqual([]);
    const accepted = (await client.callTool({
      name: 'code_index',
      arguments: { repository: 'acme/shop_v2.1', path: '/src' },
    })) as CallToolResult;
    expect(accepted.isError).toBeFalsy();
    await client.close();
  });
});
