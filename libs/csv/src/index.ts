export * from './byte-limit';
export * from './formula';
export * from './csv-reader';
export * from './csv-writer';
export * from './zip-reader';
export * from './quote-scanner';
export * from './zip-writer';
