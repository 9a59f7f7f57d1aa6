/** Unit and integration specs of webhooks; see jest.preset.js. */
module.exports = require('../../jest.preset.js').project(__dirname, 'webhooks');
