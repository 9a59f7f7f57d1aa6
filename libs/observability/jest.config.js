/** Unit and integration specs of observability; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'observability');
