export * from './catalogue.js';
export * from './http-problem.js';
export * from './handler.js';
