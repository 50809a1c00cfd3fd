module.exports = {
  displayName: 'code-intel',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
