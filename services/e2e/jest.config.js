/** Unit and integration specs of e2e; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'e2e');
