// Nx loads a local executor's `.ts` through @swc-node/register or ts-node, neither of which this
// workspace installs, and Node 20 cannot strip types itself; tsx (a devDependency already) can.
const { register } = require('tsx/cjs/api');

register();
module.exports = require('./executor.ts');
