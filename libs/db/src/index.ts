export * from './schema';
export {
  DatabaseAvailability,
  DatabaseUnreachableError,
  isConnectionError,
  retryWhileUnreachable,
  type AvailabilityEvent,
  type StartupRetryOptions,
} from './availability';
export { createDb } from './client';
export type { DbConfig } from './config';
export { queryRows, type Database, type DbHandle, type Engine, type Schema } from './database';
export { queryPreparedRows } from './prepared';
export type { DatabaseExecutor, Transaction } from './executor';
export { GraphWalker, type GraphNeighbors, type GraphPathView, type Walk, type WalkDirection } from './graph/graph-walker';
export {
  edgeColumns,
  nodeColumns,
  toGraphEdge,
  toGraphNode,
  uuidArray,
  type GraphEdgeView,
  type GraphNodeView,
  type GraphScope,
  type RawEdgeRow,
  type RawNodeRow,
} from './graph/graph-rows';
export { RRF_K, bestFusedScore, reciprocalRank, reciprocalRankFusionSql } from './rank-fusion';
export { textArray } from './text-array';
export { resolveMigrationsDir, runMigrations, type MigrationResult } from './migrate';
export {
  listPartitionGinIndexes,
  listPartitions,
  monthStart,
  partitionName,
  runPartitionMaintenance,
  type PartitionMaintenanceOptions,
  type PartitionMaintenanceReport,
} from './partitions';
export { describeDatabase, type DatabaseStatus, type ReportedEngine } from './server-info';
export {
  CITUS_COORDINATOR_TABLES,
  CITUS_DISTRIBUTED_TABLES,
  CITUS_DISTRIBUTION_COLUMN,
  CITUS_REFERENCE_TABLES,
  detectCitus,
  distributeTables,
  isCitusDatabase,
  localSettings,
  transactionSettings,
  type CitusDistributionReport,
  type CitusInfo,
  type CitusLayout,
} from './citus';
export {
  claimJobs,
  completeJob,
  enqueueJob,
  failJob,
  getJob,
  releaseJobs,
  requeueStaleJobs,
  workerConnected,
  JOBS_CHANNEL,
  WORKER_APPLICATION_NAME,
  type ClaimedJob,
  type EnqueueOptions,
} from './queue';
export {
  DEFAULT_TEXT_SEARCH_CONFIG,
  applyTextSearchConfig,
  currentTextSearchConfig,
  rebuildSearchStats,
  type TextSearchConfigChange,
} from './text-search';
export { STATISTICS_THRESHOLDS, refreshPlannerStatistics, type StatisticsRefresh } from './planner-statistics';
