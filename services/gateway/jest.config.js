/** Unit and integration specs of gateway; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'gateway');
