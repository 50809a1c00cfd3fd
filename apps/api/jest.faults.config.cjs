// Fault tests (src/**/*.faults.ts): a PostgreSQL cluster of their own, restarted and stopped under the
// real API and worker processes. Run by `npx nx run api:test-faults`, not by `npm test`.
module.exports = {
  displayName: 'api-faults',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['**/*.faults.ts'],
  testTimeout: 180_000,
};
