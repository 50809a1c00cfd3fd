import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@mnemolite/common';
import type { MnemoBackend } from './backend/backend';
import { registerCodeTools } from './tools/code.tools';
import { registerGraphTools } from './tools/graph.tools';
import { registerHealthTool } from './tools/health.tool';
import { registerMemoryTools } from './tools/memory.tools';
import { failure } from './tools/tool-result';

export interface McpServerOptions {
  version: string;
  logger?: Logger;
  /**
   * Set when the caller may only read (an API key with role `read`): every tool is still listed,
   * read-only ones (`readOnlyHint: true`) run, and the others answer a tool result with `isError`
   * and this message instead of running.
   */
  writeRefusal?: string;
}

const INSTRUCTIONS =
  'MnemoLite is a long-term memory and a code index. Remember facts, decisions and events with memory_write, recall ' +
  'them with memory_search (by meaning and words, filtered by metadata and time), link related things with the graph ' +
  'tools. Index source code with code_index, then explore it with code_search, code_callers and code_callees.';

/**
 * An MCP server with every MnemoLite tool, over the given backend. One per connection: the stdio app
 * makes one for its process, the API one per `/mcp` request (stateless Streamable HTTP).
 */
export function createMnemoMcpServer(backend: MnemoBackend, options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'mnemolite', title: 'MnemoLite', version: options.version }, { instructions: INSTRUCTIONS });
  if (options.writeRefusal !== undefined) refuseWriteTools(server, options.writeRefusal);
  registerMemoryTools(server, backend, options.logger);
  registerGraphTools(server, backend, options.logger);
  registerCodeTools(server, backend, options.logger);
  registerHealthTool(server, backend, options.logger);
  return server;
}

/** Wraps this server's `registerTool` so tools not marked read-only answer `refusal` instead of running. */
function refuseWriteTools(server: McpServer, refusal: string): void {
  const register = server.registerTool.bind(server) as (name: string, config: ToolConfig, callback: unknown) => unknown;
  const guarded = (name: string, config: ToolConfig, callback: unknown): unknown =>
    register(name, config, config.annotations?.readOnlyHint === true ? callback : () => failure(`The tool "${name}" writes: ${refusal}`));
  server.registerTool = guarded as typeof server.registerTool;
}

interface ToolConfig {
  annotations?: { readOnlyHint?: boolean };
}
