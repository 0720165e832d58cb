import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { nameOf } from './people.js';
import { resubscribe } from './resubscribe.js';

interface PresenceEntry {
  user: { id: string };
  sessionId: string;
  role: string | null;
  selectedLayerIds: string[];
  color: string | null;
  lastSeenAt: string;
}

const ENTRY = 'user { id } sessionId role selectedLayerIds color lastSeenAt';
const PRESENCE = `query Presence($id: ID!) { design(id: $id) { id presence { ${ENTRY} } } }`;
const UPDATE = `mutation UpdatePresence($designId: ID!, $sessionId: ID!, $input: PresenceInput!) {
  updatePresence(designId: $designId, sessionId: $sessionId, input: $input) { ${ENTRY} } }`;
const LEAVE = `mutation LeaveDesign($designId: ID!, $sessionId: ID!) { leaveDesign(designId: $designId, sessionId: $sessionId) }`;
// With our sessionId, the service lets the session leave as soon as the socket closes.
const CHANGED = `subscription PresenceChanged($designId: ID!, $sessionId: ID) {
  presenceChanged(designId: $designId, sessionId: $sessionId) { type present { ${ENTRY} } } }`;

/** The service forgets a session after 30 s without an update (issue 14): this page says it is here more often. */
const HEARTBEAT_MS = 15_000;
const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

/** A colour per person, the same on every page. */
export function colorOf(userId: string): string {
  let hash = 0;
  for (const c of userId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/**
 * Who is here (presence, issue 14) and what they hold selected, in their colours; this page's own
 * selection is sent as it changes. Shown only where the service has presence (collab-features.ts).
 */
export class PresencePanel {
  readonly element = h('section', { class: 'panel presence' });
  private readonly sessionId = crypto.randomUUID();
  private present: PresenceEntry[] = [];
  private selected: string[] = [];
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
    private readonly me: string,
    private readonly onOthers: (selections: Map<string, string[]>) => void,
  ) {
    void this.send();
    this.timer = setInterval(() => void this.send(), HEARTBEAT_MS);
    this.unsubscribe = resubscribe<{ presenceChanged: { present: PresenceEntry[] } }>(
      gateway,
      CHANGED,
      { designId: store.id, sessionId: this.sessionId },
      (data) => this.show(data.presenceChanged.present),
      () =>
        void gateway
          .request<{ design: { presence: PresenceEntry[] } | null }>(PRESENCE, { id: store.id })
          .then(({ design }) => this.show(design?.presence ?? []))
          .catch(() => undefined),
    );
  }

  select(layerIds: string[]): void {
    this.selected = layerIds;
    void this.send();
  }

  private async send(): Promise<void> {
    const input = { selectedLayerIds: this.selected, color: colorOf(this.me) };
    try {
      const { updatePresence } = await this.gateway.request<{ updatePresence: PresenceEntry }>(UPDATE, {
        designId: this.store.id,
        sessionId: this.sessionId,
        input,
      });
      // Our own entry as the service holds it: the list read at start may predate it.
      this.show([...this.present.filter((p) => p.sessionId !== this.sessionId), updatePresence]);
    } catch {
      // The next heartbeat tries again.
    }
  }

  private show(present: PresenceEntry[]): void {
    this.present = present;
    const others = present.filter((p) => p.sessionId !== this.sessionId);
    const selections = new Map<string, string[]>();
    for (const other of others) {
      for (const layerId of other.selectedLayerIds)
        selections.set(layerId, [...(selections.get(layerId) ?? []), other.color ?? colorOf(other.user.id)]);
    }
    this.onOthers(selections);
    const names = new Map(this.store.design.layers.map((l) => [l.id, l.name ?? l.catalogItem.name]));
    fill(
      this.element,
      h('h2', {}, `Here now (${this.present.length})`),
      h(
        'ul',
        { class: 'present' },
        ...present.map((p) =>
          h(
            'li',
            { class: 'present-user', 'data-user-id': p.user.id },
            h('span', { class: 'swatch', style: `background:${p.color ?? colorOf(p.user.id)}` }),
            p.sessionId === this.sessionId ? 'you' : nameOf(p.user.id),
            p.role ? h('small', {}, ` ${p.role.toLowerCase()}`) : null,
            p.selectedLayerIds.length ? h('small', {}, ` · ${p.selectedLayerIds.map((id) => names.get(id) ?? '?').join(', ')}`) : null,
          ),
        ),
      ),
    );
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    void this.gateway.request(LEAVE, { designId: this.store.id, sessionId: this.sessionId }).catch(() => undefined);
  }
}
