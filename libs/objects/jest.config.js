/** Unit and integration specs of objects; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'objects');
