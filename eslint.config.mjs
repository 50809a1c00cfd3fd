import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/.mnemolite'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // Apps hold wiring only; they may use feature, data-access and util libs.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:composite', 'type:feature', 'type:data-access', 'type:util'] },
            // A composite lib puts several feature libs behind one surface (the MCP tools): apps use it.
            { sourceTag: 'type:composite', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util'] },
            // Feature libs never depend on apps or on each other.
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            // Benchmarks and workspace tooling drive the libraries like an app would.
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:tooling'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:memory', onlyDependOnLibsWithTags: ['scope:memory', 'scope:shared'] },
            { sourceTag: 'scope:code', onlyDependOnLibsWithTags: ['scope:code', 'scope:shared'] },
            { sourceTag: 'scope:mcp', onlyDependOnLibsWithTags: ['scope:mcp', 'scope:memory', 'scope:code', 'scope:shared'] },
            { sourceTag: 'scope:access', onlyDependOnLibsWithTags: ['scope:access', 'scope:shared'] },
            { sourceTag: 'scope:deploy', onlyDependOnLibsWithTags: ['scope:deploy', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs', '**/jest.config.cjs', 'jest.preset.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
