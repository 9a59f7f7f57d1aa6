/** Unit and integration specs of database; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'database');
