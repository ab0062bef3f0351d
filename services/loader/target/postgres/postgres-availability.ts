import { Problem } from '../../../kit/errors/problem.js';
import type { AvailabilityProbe, ErrorClassifier, Row } from '../target.js';

/** Available when a trivial query answers; refused, reset or starting up is `503 Warehouse.Unavailable`. */
export class QueryAvailability implements AvailabilityProbe {
  constructor(
    private readonly query: (sql: string) => Promise<Row[]>,
    private readonly errors: ErrorClassifier,
  ) {}

  async check(): Promise<void> {
    try {
      await this.query('SELECT 1 AS ok');
    } catch (err) {
      const problem = this.errors.classify(err);
      if (problem && (problem.status === 503 || problem.status === 429)) throw problem;
      throw new Problem('Warehouse.Unavailable', { detail: problem?.detail ?? 'the warehouse did not answer', cause: err });
    }
  }
}
