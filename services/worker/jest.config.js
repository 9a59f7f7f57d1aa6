/** Unit and integration specs of worker; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'worker');
