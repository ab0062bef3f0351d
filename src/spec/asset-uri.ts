/**
 * Asset URIs (Datasets on Airflow 2.x) as a spec writes them in `schedule.assets` and `outlets`.
 *
 * Airflow rewrites a URI before using it (`_sanitize_uri` in airflow.datasets on 2.x and in
 * airflow.sdk.definitions.asset on 3.x): the scheme is lower-cased, user info, the query's
 * order and the fragment are dropped or changed, trailing slashes are removed and an empty
 * path becomes `/`. On 3.x the asset's name is the text as written while its URI is the
 * rewritten one, so two specs that wrote the same asset differently would name two assets
 * with one URI. dagwright therefore takes a URI only in the form Airflow keeps as it is, and
 * says which form that is.
 */

/** Airflow 3's limit on an asset's name and URI (2.x allows 3000). */
export const ASSET_URI_MAX_LENGTH = 1500;

/** Asset names Airflow 3 reserves (`_validate_asset_name`). */
const RESERVED_NAMES = new Set(['self', 'context']);

/** Python's `urlsplit` view of a URI: scheme, netloc, and the rest. */
interface SplitUri {
  readonly scheme: string;
  readonly netloc: string | undefined;
  readonly path: string;
  readonly query: string | undefined;
  readonly fragment: string | undefined;
}

function splitUri(uri: string): SplitUri {
  let rest = uri;
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  let netloc: string | undefined;
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | undefined;
  const question = rest.indexOf('?');
  if (question >= 0) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  return { scheme, netloc, path: rest, query, fragment };
}

/**
 * Why Airflow would reject or rewrite this asset URI, or undefined when every targeted
 * version keeps it as written.
 */
export function assetUriProblem(uri: string): string | undefined {
  if (uri.length === 0) return 'an asset URI cannot be empty';
  if (uri.length > ASSET_URI_MAX_LENGTH) return `an asset URI has at most ${ASSET_URI_MAX_LENGTH} characters (Airflow 3's limit); this one has ${uri.length}`;
  if (!/^[\x21-\x7e]*$/.test(uri)) return 'an asset URI holds only printable ASCII characters, without spaces: percent-encode anything else (%20 for a space)';
  if (RESERVED_NAMES.has(uri)) return `"${uri}" is a name Airflow 3 reserves; choose another`;
  const parts = splitUri(uri);
  if (parts.scheme === '' && parts.netloc === undefined) return undefined; // a plain name, not a URI: kept as it is
  const scheme = parts.scheme.toLowerCase();
  if (scheme.startsWith('x-')) return undefined; // Airflow keeps x- URIs exactly as they are
  if (scheme === 'airflow') return 'the URI scheme "airflow" is reserved by Airflow';
  if (parts.scheme !== scheme) return `Airflow lower-cases the scheme; write it in lower case: "${scheme}${uri.slice(scheme.length)}"`;
  if (parts.netloc?.includes('@')) return 'an asset URI must not hold user info (user@ or user:password@): Airflow drops it';
  if (parts.fragment !== undefined) return 'an asset URI must not have a #fragment: Airflow drops it';
  if (parts.query !== undefined) return 'an asset URI must not have a ?query: Airflow re-orders and re-encodes it';
  if (parts.path === '') return `Airflow writes an empty path as "/"; write "${uri}/"`;
  if (parts.path !== '/' && parts.path.endsWith('/')) return `Airflow removes trailing slashes; write "${uri.replace(/\/+$/, '')}"`;
  if (parts.scheme === 's3' && !parts.netloc) return 'an s3:// asset URI needs a bucket: s3://bucket/key';
  return undefined;
}

/** The asset a `load` task produces by default: its warehouse and its table, as written. */
export function warehouseTableUri(warehouse: string, table: string): string {
  return `dagwright://${warehouse}/${table}`;
}
