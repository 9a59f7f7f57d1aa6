export * from './byte-limit';
export * from './chunk-batcher';
export * from './formula';
export * from './csv-reader';
export * from './csv-writer';
export * from './csv-zip-writer';
export * from './zip-reader';
export * from './quote-scanner';
