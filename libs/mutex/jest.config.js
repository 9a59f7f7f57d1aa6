/** Unit and integration specs of mutex; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'mutex');
