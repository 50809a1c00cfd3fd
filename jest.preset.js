// Shared Jest settings: TypeScript compiled by SWC to CommonJS, tests beside the code.
const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: require.resolve('./tools/jest/shared-typed-arrays-environment.cjs'),
  // Database suites open an engine per file; on 2 busy cores that can take several seconds.
  testTimeout: 30_000,
  testMatch: ['**/?(*.)+(spec|test).ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  coverageReporters: ['text-summary', 'html'],
};
