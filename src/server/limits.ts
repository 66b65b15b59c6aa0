/**
 * The limits of the HTTP server, in one place (documented in docs/api.md, "Limits"). Every one is
 * checked before work starts on a request, so what a client sends cannot make the server use more than
 * a bounded amount of memory or time. buildApp takes overrides (tests and benchmarks use them).
 */
export interface HttpLimits {
  /** arrays and objects nested in a JSON body */
  readonly jsonDepth: number;
  /** bytes of a request body after decompression (ingestion routes have their own, see LIMITS) */
  readonly bodyBytes: number;
  /** ms to receive a request's headers, from the first byte */
  readonly headersTimeoutMs: number;
  /** ms to receive a whole request (headers and body) */
  readonly requestTimeoutMs: number;
  /** ms a connection may stay silent (no byte either way) before it is closed */
  readonly idleTimeoutMs: number;
  /** ms an idle keep-alive connection is kept for its next request */
  readonly keepAliveTimeoutMs: number;
  /** how often (ms) the server looks for requests past their time */
  readonly timeoutCheckMs: number;
  /** open connections in all */
  readonly maxConnections: number;
  /** open connections from one peer address */
  readonly maxConnectionsPerAddress: number;
  /** bytes of request bodies being received at once, over all connections */
  readonly bodyBytesInFlight: number;
  /** requests one address may make per window (all routes, with or without a key) */
  readonly requestsPerAddress: number;
  /** requests one API key may make per window */
  readonly requestsPerKey: number;
  /** the window of the two rate limits, ms */
  readonly rateWindowMs: number;
  /** distinct addresses and keys the rate limiter remembers (least recently seen forgotten first) */
  readonly rateTrackedClients: number;
  /** ms one database statement may run before it is interrupted */
  readonly statementTimeoutMs: number;
  /** DuckDB's memory_limit while the server runs (its buffer manager: joins, aggregates, sorts) */
  readonly databaseMemory: string;
}

export const HTTP_LIMITS: HttpLimits = {
  jsonDepth: 128,
  bodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckMs: 1_000,
  maxConnections: 4096,
  maxConnectionsPerAddress: 256,
  bodyBytesInFlight: 64 * 1024 * 1024,
  requestsPerAddress: 1200,
  requestsPerKey: 20_000,
  rateWindowMs: 60_000,
  rateTrackedClients: 50_000,
  statementTimeoutMs: 30_000,
  databaseMemory: '1GB',
};
