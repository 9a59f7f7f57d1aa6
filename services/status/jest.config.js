/** Unit and integration specs of status; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'status');
