/** Unit and integration specs of ingest; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'ingest');
