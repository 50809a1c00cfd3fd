module.exports = {
  displayName: 'mcp-tools',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
