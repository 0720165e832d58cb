/** What the studio server tells the page (/config.json). */
export interface StudioConfig {
  gatewayUrl: string;
  gatewayWsUrl: string;
  /** Origins of the dev subgraphs' models, textures and images, which /asset serves on this origin. */
  assetOrigins: string[];
  users: { id: string; name: string }[];
}

export interface Session {
  userId: string;
  token: string;
}

// Per tab: two tabs of one browser can be two people on one design.
const KEY = 'studio.session';

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

/** A development token for a demo user, minted by the studio server (development only). */
export async function signIn(userId: string): Promise<Session> {
  const response = await fetch('/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`sign-in failed: HTTP ${response.status}`);
  const session = (await response.json()) as Session;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
