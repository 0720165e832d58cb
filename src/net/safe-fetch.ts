import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The one way the workers fetch a URL that came from data (models, textures, backgrounds): the URLs
 * are set by other subgraphs and by any editor, so each one, and each hop of a redirect, must be on
 * the allowlist, and its host must not lead into the private network unless its origin may.
 */
export interface FetchPolicy {
  /** Origins that may be fetched (ASSET_ORIGINS and RENDER_IMAGE_ORIGINS). */
  origins: string[];
  /** Of those, the ones whose host may be a private, loopback or other non-public address (ASSET_PRIVATE_ORIGINS). */
  privateOrigins: string[];
  /** For the whole fetch, redirects and body included. */
  timeoutMs: number;
  maxBytes: number;
}

/** A URL the policy does not let the workers fetch: it stays so however often a job is retried. */
export class UrlRefusedError extends Error {
  override name = 'UrlRefusedError';
}

export interface Fetched {
  body: Buffer;
  contentType: string | null;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function safeFetch(url: string, policy: FetchPolicy): Promise<Fetched> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  try {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refuse = (reason: string) =>
        new UrlRefusedError(`refused ${current}${current === url ? '' : ` (redirected from ${url})`}: ${reason}`);
      const target = allowedUrl(current, policy, refuse);
      const addresses = await checkedAddresses(target, policy, refuse);
      const response = await get(target, addresses, signal);
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.statusCode!) && location) {
        response.destroy();
        current = new URL(location, target).href;
        continue;
      }
      if (response.statusCode! < 200 || response.statusCode! >= 300) {
        response.destroy();
        throw new Error(`HTTP ${response.statusCode}${current === url ? '' : ` from ${current}`}`);
      }
      return { body: await readBody(response, policy.maxBytes, refuse), contentType: response.headers['content-type'] ?? null };
    }
    throw new UrlRefusedError(`refused ${url}: more than ${MAX_REDIRECTS} redirects`);
  } catch (error) {
    if (error instanceof UrlRefusedError) throw error;
    throw new Error(`${url}: ${signal.aborted ? `no complete answer within ${policy.timeoutMs} ms` : (error as Error).message}`);
  }
}

function allowedUrl(raw: string, policy: FetchPolicy, refuse: (reason: string) => UrlRefusedError): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`only http and https are fetched, not ${url.protocol}`);
  if (!policy.origins.includes(url.origin)) {
    throw refuse(`${url.origin} is not an origin the workers may fetch from (ASSET_ORIGINS, RENDER_IMAGE_ORIGINS)`);
  }
  return url;
}

/**
 * Every address the host stands for, each checked: the request then connects to one of these, not
 * to what a second DNS answer might say (DNS rebinding).
 */
async function checkedAddresses(url: URL, policy: FetchPolicy, refuse: (reason: string) => UrlRefusedError): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await lookup(host, { all: true, verbatim: true });
  if (policy.privateOrigins.includes(url.origin)) return addresses;
  for (const { address } of addresses) {
    const range = addressRange(address);
    if (range === 'unicast') continue;
    const what = address === host ? address : `${host} resolves to ${address}, which`;
    throw refuse(`${what} is a ${range} address: only origins in ASSET_PRIVATE_ORIGINS may be`);
  }
  return addresses;
}

/** ipaddr.js's name for the range an address is in; 'unicast' is the public internet, IPv4-mapped IPv6 judged as the IPv4 it maps. */
export function addressRange(address: string): string {
  return ipaddr.process(address).range();
}

/** What the socket connects to instead of asking DNS again: the addresses that were checked. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) return callback(null, addresses);
    const [first] = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
    if (!first) return callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  };
}

function get(url: URL, addresses: LookupAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(
      url,
      // No agent: a pooled socket could have been connected by other code, to an address never checked.
      { method: 'GET', auth: null, agent: false, lookup: pinnedLookup(addresses), signal },
      resolve,
    )
      .on('error', reject)
      .end();
  });
}

async function readBody(response: IncomingMessage, maxBytes: number, refuse: (reason: string) => UrlRefusedError): Promise<Buffer> {
  const tooLarge = () => refuse(`the answer is larger than ${maxBytes} bytes (ASSET_MAX_BYTES)`);
  if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
