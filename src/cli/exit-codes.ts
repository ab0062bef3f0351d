/** Exit codes of the dagwright CLI; scripts and CI rely on them. */
export const EXIT = {
  ok: 0,
  /** At least one spec (or ruleset) is invalid; the diagnostics say where. */
  invalid: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** `--check`: generated files on disk are missing or stale. */
  stale: 3,
  /** A bug or an environment failure in dagwright itself. */
  internal: 70,
} as const;
