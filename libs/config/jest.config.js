/** Unit and integration specs of config; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'config');
