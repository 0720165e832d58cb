import type { Gateway } from './gateway.js';

export interface CollabFeatures {
  presence: boolean;
  comments: boolean;
}

const FIELDS = `query CollabFeatures { __type(name: "Design") { fields { name } } }`;

/**
 * Whether the service has presence and comments (issue 14): one small introspection of Design's
 * fields. Without them, or without introspection, the panels stay hidden.
 */
export async function collabFeatures(gateway: Gateway): Promise<CollabFeatures> {
  try {
    const { __type } = await gateway.request<{ __type: { fields: { name: string }[] } | null }>(FIELDS);
    const names = new Set(__type?.fields.map((f) => f.name));
    return { presence: names.has('presence'), comments: names.has('comments') };
  } catch {
    return { presence: false, comments: false };
  }
}
