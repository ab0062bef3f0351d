export * from './catalogue.js';
export * from './problem.js';
export * from './handler.js';
