/** Unit and integration specs of cli; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'cli');
