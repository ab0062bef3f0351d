export { QueryAvailability as DuckdbAvailability } from '../postgres/postgres-availability.js';
