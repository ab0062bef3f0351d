import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../config/index.js';
import { faultsFromEnv } from './faults.js';

describe('faultsFromEnv', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const said = () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return () => spy.mock.calls.map((c) => String(c[0]));
  };

  it('sets no fault without DAGWRIGHT_FAULT_* variables', () => {
    expect(faultsFromEnv({ DAGWRIGHT_STATE: 'x.sqlite' })).toEqual({});
  });

  it('pauses a bookmarks commit only once the run is committed in the transaction', () => {
    const hooks = faultsFromEnv({ DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS: '1' }).bookmarks?.hooks;
    expect(hooks?.midTransaction).toBeTypeOf('function');
    const lines = said();
    hooks?.midTransaction(['bookmark.advanced']);
    expect(lines()).toEqual([]);
    hooks?.midTransaction(['bookmark.advanced', 'run.committed']);
    expect(lines()).toEqual(['fault: paused inside commit\n']);
  });

  it('pauses dq once, after the named publishing step of the named file', () => {
    expect(Object.keys(faultsFromEnv({ DAGWRIGHT_FAULT_DQ_PAUSE_AFTER: 'copy:failed' }).dq?.faults ?? {})).toEqual(['afterCopy']);
    const faults = faultsFromEnv({ DAGWRIGHT_FAULT_DQ_PAUSE_AFTER: 'upload:passed', DAGWRIGHT_FAULT_DQ_PAUSE_MS: '1' }).dq?.faults;
    expect(Object.keys(faults ?? {})).toEqual(['afterUpload']);
    const lines = said();
    faults?.afterUpload?.({ file: '/tmp/x/failed-0.parquet' });
    faults?.afterUpload?.({ file: '/tmp/x/passed-0.parquet' });
    faults?.afterUpload?.({ file: '/tmp/x/passed-1.parquet' });
    expect(lines()).toEqual(['fault: paused after upload of passed-0.parquet\n']);
  });

  it('stops a load for good at the named loader checkpoint, and only there', async () => {
    const hooks = faultsFromEnv({ DAGWRIGHT_FAULT_LOADER_PAUSE_AT: 'merged' }).loader?.hooks;
    const lines = said();
    expect(hooks?.checkpoint('copying')).toBeUndefined();
    const paused = hooks?.checkpoint('merged');
    expect(paused).toBeInstanceOf(Promise);
    expect(await Promise.race([paused, new Promise((r) => setTimeout(() => r('still paused'), 20))])).toBe('still paused');
    expect(lines()).toEqual(['fault: paused at merged\n']);
    expect(() => faultsFromEnv({ DAGWRIGHT_FAULT_LOADER_PAUSE_AT: 'later' })).toThrow(ConfigError);
  });

  it('refuses a pause that is not a positive whole number of milliseconds', () => {
    expect(() => faultsFromEnv({ DAGWRIGHT_FAULT_PAUSE_IN_COMMIT_MS: 'soon' })).toThrow(ConfigError);
  });
});
