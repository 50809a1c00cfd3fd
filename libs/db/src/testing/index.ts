export { createScratchDatabase, createTestDb, testEngineName, type ScratchDatabase, type TestDb } from './test-db';
