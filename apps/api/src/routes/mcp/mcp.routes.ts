import { Router } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '@mnemolite/common';
import { roleAllows } from '@mnemolite/access';
import { createMnemoMcpServer, type MnemoBackend } from '@mnemolite/mcp';
import { requestNamespace } from '../../http/request-scope';
import { requestPrincipal, requireRole } from '../../http/auth';

export interface McpRoutesDeps {
  /** The library services of this process (the same ones the `/v1` routes use); each request confines them to its namespace. */
  backend: MnemoBackend;
  version: string;
  logger: Logger;
}

/**
 * `/mcp`: the Model Context Protocol over Streamable HTTP, stateless (a server and a transport per
 * POST, so any instance behind a load balancer can answer any request). Tool results stream as
 * server-sent events, which lets progress notifications reach the client during long indexing.
 * Mounted by `createApp` behind the API key, the readiness gate, the request scope and the JSON body
 * rules: the tools of a request work in the request's namespace, as `/v1` does. Any key may list the
 * tools and call read-only ones; a `read` key calling a write tool gets a tool result with `isError`
 * naming the role (not a protocol error).
 */
export function mcpRoutes(deps: McpRoutesDeps): Router {
  const router = Router();
  const logger = deps.logger.child({ module: 'mcp' });

  router.post('/', requireRole('read'), async (req, res) => {
    const principal = requestPrincipal(res);
    const writeRefusal = roleAllows(principal.role, 'write')
      ? undefined
      : `the API key "${principal.name}" has role ${principal.role}, and writing needs role write.`;
    const server = createMnemoMcpServer(deps.backend.withNamespace(requestNamespace(res)), { version: deps.version, logger, writeRefusal });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
  router.all('/', (_req, res) => {
    res
      .status(405)
      .set('Allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; send POST.' },
        id: null,
      });
  });

  return router;
}
