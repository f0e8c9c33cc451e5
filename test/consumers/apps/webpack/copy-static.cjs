// The page and the model beside the bundle (what html-webpack-plugin and a public/ folder do).
const { cpSync } = require('node:fs');
cpSync('index.html', 'dist/index.html');
cpSync('public', 'dist', { recursive: true });
