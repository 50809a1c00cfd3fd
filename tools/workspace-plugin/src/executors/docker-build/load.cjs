// Nx loads a local executor's `.ts` through @swc-node/register or ts-node, neither of which this
// workspace installs. Node strips types by itself only from 22.18 (and not in every file layout);
// tsx (a devDependency already) works on every supported version.
const { register } = require('tsx/cjs/api');

register();
module.exports = require('./executor.ts');
