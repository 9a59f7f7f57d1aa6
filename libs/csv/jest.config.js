/** Unit and integration specs of csv; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'csv');
