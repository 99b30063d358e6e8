export * from './model.js';
export * from './wire.js';
