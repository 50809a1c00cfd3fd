module.exports = {
  displayName: 'memory',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
