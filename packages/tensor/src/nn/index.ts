/** Neural-network building blocks: `Module`, layers and initializers. */
export * as init from './init.js';
export { Dropout, Embedding, type Layer, LayerNorm, RMSNorm, Sequential } from './layers.js';
export { Linear, type LinearOptions } from './linear.js';
export { isParameter, type LoadStateDictOptions, Module, parameter } from './module.js';
