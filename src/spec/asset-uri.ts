/**
 * Asset URIs (Datasets on Airflow 2.x) as a spec writes them in `schedule.assets` and `outlets`.
 *
 * Airflow rewrites a URI before using it (`_sanitize_uri` in airflow.datasets on 2.x and in
 * airflow.sdk.definitions.asset on 3.x): the scheme is lower-cased, user info, the query's
 * order and the fragment are dropped or changed, trailing slashes are removed and an empty
 * path becomes `/`. On 3.x the asset's name is the text as written while its URI is the
 * rewritten one, so two specs that wrote the same asset differently would name two assets
 * with one URI. dagwright therefore writes every URI in the form Airflow keeps as it is.
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

/** What dagwright makes of an asset URI as written. */
export type AssetUriCheck =
  | { readonly kind: 'kept' }
  /** Airflow would rewrite it the same way: it is written in this form, with a warning. */
  | { readonly kind: 'rewritten'; readonly canonical: string; readonly why: string }
  /** Airflow would reject it, or rewrite it losing part of it: an error. */
  | { readonly kind: 'invalid'; readonly why: string };

/**
 * Checks an asset URI against Airflow's sanitiser. The rewrites that keep its meaning (a
 * lower-case scheme, no trailing slash, `/` for an empty path) are made here, so every
 * spelling of a URI names one asset on every version; anything Airflow would reject or
 * lose part of is an error.
 */
export function checkAssetUri(uri: string): AssetUriCheck {
  const invalid = (why: string): AssetUriCheck => ({ kind: 'invalid', why });
  if (uri.length === 0) return invalid('an asset URI cannot be empty');
  if (uri.length > ASSET_URI_MAX_LENGTH) return invalid(`an asset URI has at most ${ASSET_URI_MAX_LENGTH} characters (Airflow 3's limit); this one has ${uri.length}`);
  if (!/^[\x20-\x7e]*$/.test(uri)) return invalid('an asset URI holds only printable ASCII characters: percent-encode anything else (%C3%A9 for é)');
  if (uri.trim() !== uri) return invalid('an asset URI cannot start or end with a space');
  if (RESERVED_NAMES.has(uri)) return invalid(`"${uri}" is a name Airflow 3 reserves; choose another`);
  const parts = splitUri(uri);
  if (parts.scheme === '' && parts.netloc === undefined) return { kind: 'kept' }; // a plain name, not a URI
  const scheme = parts.scheme.toLowerCase();
  if (scheme.startsWith('x-')) return { kind: 'kept' }; // Airflow keeps x- URIs exactly as they are
  if (scheme === 'airflow') return invalid('the URI scheme "airflow" is reserved by Airflow');
  if (scheme === '') return invalid('an asset URI with an authority (//...) needs a scheme, such as s3://bucket/key');
  if (parts.netloc === undefined) return invalid(`write the URI with an authority, ${scheme}://<authority>/<path>, or use an x- scheme`);
  if (scheme === 's3' && parts.netloc === '') return invalid('an s3:// asset URI needs a bucket: s3://bucket/key');
  if (parts.netloc === '' && scheme !== 'file') return invalid(`an empty authority (${scheme}:///...) is kept only for file URIs`);
  if (parts.netloc.includes('@')) return invalid('an asset URI must not hold user info (user@ or user:password@): Airflow drops it');
  if (parts.fragment !== undefined) return invalid('an asset URI must not have a #fragment: Airflow drops it');
  if (parts.query !== undefined) return invalid('an asset URI must not have a ?query: Airflow re-orders and re-encodes it');
  const canonical = `${scheme}://${parts.netloc}${parts.path.replace(/\/+$/, '') || '/'}`;
  if (canonical === uri) return { kind: 'kept' };
  const why =
    parts.scheme !== scheme ? 'Airflow lower-cases the scheme' : parts.path === '' ? 'Airflow writes an empty path as /' : 'Airflow removes trailing slashes';
  return { kind: 'rewritten', canonical, why };
}

/** The URI as Airflow keeps it (the URI itself when it is invalid: validation reports that). */
export function canonicalAssetUri(uri: string): string {
  const check = checkAssetUri(uri);
  return check.kind === 'rewritten' ? check.canonical : uri;
}

/** The asset a `load` task produces by default: its warehouse and its table, as written. */
export function warehouseTableUri(warehouse: string, table: string): string {
  return `dagwright://${warehouse}/${table}`;
}
