/** Unit and integration specs of contracts; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'contracts');
