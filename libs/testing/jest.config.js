/** Unit and integration specs of testing; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'testing');
