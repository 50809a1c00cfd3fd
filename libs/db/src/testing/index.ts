export { createTestDb, testEngineName, type TestDb } from './test-db';
