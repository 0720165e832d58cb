import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import type { Tier } from '../domain/tier';
import { DesignError, ErrorCode } from '../errors/design-error';
import { type Viewer } from './viewer';
import { TIERS } from '../domain/tier';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const unauthenticated = (why: string) => new DesignError(ErrorCode.Unauthenticated, `Invalid token: ${why}`);

export interface TokenVerifier {
  /** Null for no header; throws UNAUTHENTICATED for anything present but not valid. */
  viewerFrom(authorization: string | undefined | null): Promise<Viewer>;
}

export function createTokenVerifier(jwt: Config['jwt']): TokenVerifier {
  const secret = jwt.secret ? new TextEncoder().encode(jwt.secret) : null;
  const jwks: JWTVerifyGetKey | null = jwt.jwksUrl ? createRemoteJWKSet(new URL(jwt.jwksUrl)) : null;
  // A token that says nothing of when it ends would be good for ever: it needs exp, or an iat that JWT_MAX_AGE_SECONDS counts from.
  const lifetime: JWTVerifyOptions = jwt.maxAgeSeconds === null ? { requiredClaims: ['exp'] } : { maxTokenAge: jwt.maxAgeSeconds };

  function algorithmOf(token: string): unknown {
    try {
      return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')).alg;
    } catch {
      throw unauthenticated('malformed JWT');
    }
  }

  async function verify(token: string) {
    const header = { alg: algorithmOf(token) };
    if (header.alg === 'HS256') {
      if (!secret) throw unauthenticated('HS256 tokens are not accepted');
      return (await jwtVerify(token, secret, { ...lifetime, algorithms: ['HS256'] })).payload;
    }
    if (!jwks) throw unauthenticated(`algorithm ${String(header.alg)} is not accepted`);
    return (await jwtVerify(token, jwks, { ...lifetime, algorithms: ['RS256', 'ES256'] })).payload;
  }

  // A client sends the same token with every request: its verdict is kept briefly, never past the
  // token's own end, so that a signature is checked once per token and minute rather than per request.
  const verified = new LRUCache<string, { viewer: NonNullable<Viewer>; until: number }>({ max: VERIFIED_TOKENS_KEPT });
  const keepUntil = (claims: { exp?: number; iat?: number }) =>
    Math.min(
      Date.now() + VERIFIED_TOKEN_TTL_MS,
      claims.exp !== undefined ? claims.exp * 1000 : Infinity,
      jwt.maxAgeSeconds !== null && claims.iat !== undefined ? (claims.iat + jwt.maxAgeSeconds) * 1000 : Infinity,
    );

  return {
    async viewerFrom(authorization) {
      if (authorization === undefined || authorization === null || authorization === '') return null;
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('expected "Bearer <JWT>"');
      const kept = verified.get(match[1]!);
      if (kept && kept.until > Date.now()) return kept.viewer;
      let claims;
      try {
        claims = await verify(match[1]!);
      } catch (error) {
        if (error instanceof DesignError) throw error;
        throw unauthenticated(error instanceof Error ? error.message : 'cannot verify');
      }
      if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) throw unauthenticated('sub must be a UUID');
      const tier = claims.tier ?? 'free';
      if (!TIERS.includes(tier as Tier)) throw unauthenticated(`unknown tier "${String(tier)}"`);
      const viewer = { userId: claims.sub.toLowerCase(), tier: tier as Tier };
      verified.set(match[1]!, { viewer, until: keepUntil(claims) });
      return viewer;
    },
  };
}

/** How many verified tokens are kept, and for how long at most. */
const VERIFIED_TOKENS_KEPT = 10_000;
const VERIFIED_TOKEN_TTL_MS = 60_000;

/** Development and tests: an HS256 token for a user. */
export async function signDevelopmentToken(secret: string, userId: string, tier: Tier, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ tier })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
