import type { Client } from 'graphql-ws';
import type { Gateway } from './gateway.js';
import { DESIGN_CHANGED } from './operations.js';
import type { DesignEvent } from './types.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * designChanged for the open design over the gateway's graphql-ws, from the revision the page was
 * read at. When the stream breaks it subscribes again with afterRevision = the last revision it
 * received, so the change log replays what was missed (R2, R3), with a growing pause between tries.
 */
export function followDesign(
  gateway: Gateway,
  designId: string,
  fromRevision: number,
  onEvent: (event: DesignEvent) => void,
  onStatus: (status: LiveStatus, detail?: string) => void,
): () => void {
  let lastRevision = fromRevision;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;
  let client: Client | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = (detail: string) => {
    if (stopped) return;
    unsubscribe = null;
    if (client) gateway.release(client);
    client = null;
    onStatus('reconnecting', detail);
    timer = setTimeout(subscribe, Math.min(10_000, 250 * 2 ** attempt++));
  };
  const subscribe = () => {
    onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    client = gateway.socket();
    const offConnected = client.on('connected', () => {
      offConnected();
      if (!stopped) onStatus('live');
    });
    unsubscribe = client.subscribe<{ designChanged: DesignEvent }>(
      { query: DESIGN_CHANGED, variables: { designId, afterRevision: lastRevision } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) return void onStatus('closed', errors[0]!.message);
          if (!data) return;
          attempt = 0;
          onStatus('live');
          const event = data.designChanged;
          // Renders, exports and autosaves carry the revision they concern, not a new one.
          if (!['RENDER_UPDATED', 'EXPORT_UPDATED', 'AUTOSAVED'].includes(event.type))
            lastRevision = Math.max(lastRevision, event.revision);
          onEvent(event);
        },
        error: (error) => retry(error instanceof Error ? error.message : 'connection lost'),
        complete: () => {
          if (!stopped) onStatus('closed', 'the stream ended');
        },
      },
    );
  };
  subscribe();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe?.();
    if (client) gateway.release(client);
    onStatus('closed');
  };
}
