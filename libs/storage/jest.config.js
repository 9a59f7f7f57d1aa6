/** Unit and integration specs of storage; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'storage');
