export { Access, SCOPE_CODES, type MissingScope, type Need } from './access.js';
export { loadScopes, parseScopes, type ScopeLoadError } from './load.js';
export { formatS3, parseS3Uri, UNSCOPED, VERBS, type S3Location, type Scope, type ScopePolicy, type Verb } from './model.js';
export { accessOf, requireScope } from './middleware.js';
