import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@mnemolite/common';
import type { MnemoBackend } from './backend/backend';
import { registerCodeTools } from './tools/code.tools';
import { registerGraphTools } from './tools/graph.tools';
import { registerHealthTool } from './tools/health.tool';
import { registerMemoryTools } from './tools/memory.tools';

export interface McpServerOptions {
  version: string;
  logger?: Logger;
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
  registerMemoryTools(server, backend, options.logger);
  registerGraphTools(server, backend, options.logger);
  registerCodeTools(server, backend, options.logger);
  registerHealthTool(server, backend, options.logger);
  return server;
}
