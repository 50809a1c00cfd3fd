import type { AddressInfo } from 'node:net';
import { request as httpRequest, Agent, createServer, type Server } from 'node:http';
import { HashEmbedder } from '@mnemolite/embeddings';
import { createCodeFeature, type CodeFeature } from '../routes/code/code.feature';
import { createMemoryFeature } from '../routes/memory/memory.feature';
import { createTestApp, type TestApp, type TestAppOverrides } from './test-app';

export interface FullTestApp extends TestApp {
  /** The app listening on a loopback port, for requests that supertest would normalise. */
  server: Server;
  send(request: RawRequest): Promise<RawResponse>;
}

export interface RawRequest {
  method: string;
  /** Sent as is: no encoding, no normalisation. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The API with every feature (memory and code, hash embedder, no index roots) on a throwaway database,
 * listening on a free loopback port.
 */
export async function createFullTestApp(
  overrides: Omit<TestAppOverrides, 'features'> & { workerAvailable?: boolean } = {},
): Promise<FullTestApp> {
  const embedder = new HashEmbedder(768);
  let code: CodeFeature | undefined;
  const { workerAvailable: _worker, ...rest } = overrides;
  const testApp = await createTestApp({
    ...rest,
    features: (database) => {
      code = createCodeFeature({ database, indexRoots: [], textEmbedder: embedder, codeEmbedder: embedder });
      return [
        createMemoryFeature({ db: database.db, textEmbedder: embedder, workerAvailable: async () => overrides.workerAvailable ?? false }),
        code,
      ];
    },
  });
  const server = createServer(testApp.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (req: RawRequest): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.from(req.body);
      const headers = { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers };
      const outgoing = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return {
    ...testApp,
    server,
    send,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await code?.close();
      await testApp.close();
    },
  };
}
