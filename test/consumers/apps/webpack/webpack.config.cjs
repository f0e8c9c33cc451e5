// A plain webpack 5 production build, as `npx webpack init` would leave it.
const path = require('node:path');

module.exports = {
  mode: 'production',
  entry: './src/index.js',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', clean: true },
  performance: { hints: false }, // the engine is megabytes by nature
};
