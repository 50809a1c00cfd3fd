export { createMemoryTestDb } from './memory-test-db';
