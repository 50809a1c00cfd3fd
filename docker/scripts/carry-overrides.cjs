// carry-overrides.cjs PRUNED_PACKAGE_JSON — copy the workspace's npm `overrides` into the manifest Nx
// prunes for an app. Nx 23 writes the pruned lockfile as resolved under those overrides (e.g.
// tree-sitter-cpp using the workspace's tree-sitter-c) but can leave `overrides` out of the pruned
// package.json, and then `npm ci` refuses the pair as out of sync.
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');

const target = process.argv[2];
if (!target) throw new Error('usage: carry-overrides.cjs PRUNED_PACKAGE_JSON');
const workspace = JSON.parse(readFileSync(resolve('package.json'), 'utf8'));
const pruned = JSON.parse(readFileSync(target, 'utf8'));
if (workspace.overrides) {
  pruned.overrides = workspace.overrides;
  writeFileSync(target, `${JSON.stringify(pruned, null, 2)}\n`);
  console.log(`${target}: overrides for ${Object.keys(workspace.overrides).join(', ')}`);
}
