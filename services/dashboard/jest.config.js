/** Unit specs of the dashboard's pure logic (no browser); see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'dashboard');
