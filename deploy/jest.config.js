/** The deployment manifests checked on paper; see jest.preset.js. */
module.exports = require('../jest.preset.js').project(__dirname, 'deploy');
