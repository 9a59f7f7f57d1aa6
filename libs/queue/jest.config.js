/** Unit and integration specs of queue; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'queue');
