/** KURRENTDB_URL checked with the KurrentDB client's own parser, without echoing the URL. */
import { createRequire } from 'node:module';
import { ConfigError } from './config-error.js';

/** The options of a KurrentDB connection string this service looks at, as the client parses them. */
export interface KurrentDbConnection {
  readonly hosts: ReadonlyArray<{ readonly address: string }>;
  readonly tls?: boolean;
  readonly tlsVerifyCert?: boolean;
}
export type KurrentDbUrlParser = (connectionString: string) => KurrentDbConnection;

/**
 * The client's own parser (what `KurrentDBClient.connectionString` runs), loaded only when KurrentDB
 * is chosen. Not in the package's typings, but its file is the one the client itself uses.
 */
const kurrentDbClientParser = (): KurrentDbUrlParser =>
  (
    createRequire(import.meta.url)('@kurrent/kurrentdb-client/dist/Client/parseConnectionString.js') as {
      parseConnectionString: KurrentDbUrlParser;
    }
  ).parseConnectionString;

/**
 * Checks KURRENTDB_URL with the client's parser. Its errors carry the whole string, and it prints an
 * unknown option with the whole string on console.warn: both are kept in here, and a problem is
 * named without echoing the URL, which may hold `user:password@`. An unknown option is refused: the
 * client would ignore it (a typo such as `tsl=false` would be ignored silently). `tls=false` or
 * `tlsVerifyCert=false` is refused in production unless the network to KurrentDB is declared private.
 */
export function checkKurrentDbUrl(
  url: string,
  environment: { readonly production: boolean; readonly privateNetwork: boolean },
  parse: KurrentDbUrlParser = kurrentDbClientParser(),
): void {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  let options: KurrentDbConnection;
  try {
    options = parse(url);
  } catch (error) {
    throw new ConfigError('KURRENTDB_URL', `is not a connection string the KurrentDB client accepts${whereExpected(error)}`);
  } finally {
    console.warn = warn;
  }
  if (warnings.some((w) => w.startsWith('Unknown option key'))) {
    const key = warnings.map((w) => /^Unknown option key "([A-Za-z]{1,40})"/.exec(w)?.[1]).find((k) => k !== undefined);
    throw new ConfigError(
      'KURRENTDB_URL',
      `has an option the KurrentDB client does not know${key ? ` (${key})` : ''}: it would be ignored`,
    );
  }
  // `user@host` without a password parses as a host named `user@host`: the user would go to DNS and into connection errors.
  if (options.hosts.some((h) => h.address.includes('@')))
    throw new ConfigError('KURRENTDB_URL', 'has credentials without a password: write them as user:password@ (URL-encoded)');
  const unprotected = options.tls === false ? 'tls=false' : options.tlsVerifyCert === false ? 'tlsVerifyCert=false' : undefined;
  if (unprotected && environment.production && !environment.privateNetwork)
    throw new ConfigError(
      'KURRENTDB_URL',
      `${unprotected} with NODE_ENV=production: events and credentials would cross the network unprotected; KURRENTDB_PRIVATE_NETWORK=true allows it on a private network`,
    );
}

/** The parser's own account of where it stopped and what it expected: a position and its fixed wording, never the text there. */
function whereExpected(error: unknown): string {
  const { location, expected } = (error ?? {}) as { location?: unknown; expected?: unknown };
  if (!Array.isArray(location) || typeof location[0] !== 'number' || typeof expected !== 'string') return '';
  return ` (at character ${location[0]}, expected ${expected})`;
}
