module.exports = {
  displayName: 'docker-config',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
