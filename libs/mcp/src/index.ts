export type {
  CodeIndexInput,
  CodeNeighbors,
  CodeSearchInput,
  CodeSearchOutput,
  HealthReport,
  ListEventsInput,
  MnemoBackend,
  NeighborsInput,
  PathInput,
  SearchInput,
} from './backend/backend';
export { createRestBackend, type RestBackendOptions } from './backend/rest-backend';
export { createServiceBackend, type ServiceBackend, type ServiceBackendDeps } from './backend/service-backend';
export { createMnemoMcpServer, type McpServerOptions } from './server';
export { TOOL_NAMES } from './tool-names';
