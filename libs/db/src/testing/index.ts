export { createTestDb, testEngineName, type TestDb } from './test-db';
export { migrationsWithNamespaces } from './namespace-standin';
