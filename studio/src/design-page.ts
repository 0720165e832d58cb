import { CanvasPanel } from './canvas-panel.js';
import { CatalogBrowser } from './catalog-browser.js';
import { collabFeatures } from './collab-features.js';
import { CommentsPanel } from './comments-panel.js';
import { PresencePanel } from './presence-panel.js';
import { DesignStore, type Notice } from './design-store.js';
import { fill, h } from './dom.js';
import { ExportsPanel } from './exports-panel.js';
import type { Gateway } from './gateway.js';
import { LayerPanel } from './layer-panel.js';
import { followDesign } from './live.js';
import { DESIGN, REDO, UNDO } from './operations.js';
import type { DesignView } from './types.js';
import type { StudioConfig } from './session.js';
import { shareControl } from './share-control.js';
import { VersionsPanel } from './versions-panel.js';
import { Viewport } from './viewport.js';

export interface OpenDesign {
  element: HTMLElement;
  store: DesignStore;
  viewport: Viewport;
  close(): void;
}

/** The editor of one design: the 3D view between the stack and catalog on the left and settings, versions and exports on the right. */
export async function openDesign(
  gateway: Gateway,
  designId: string,
  config: Pick<StudioConfig, 'assetOrigins' | 'users'>,
  me: string,
  open: (id: string) => void,
): Promise<OpenDesign> {
  const { design } = await gateway.request<{ design: DesignView | null }>(DESIGN, { id: designId });
  if (!design) throw new Error('This design does not exist, or you may not read it.');
  const store = new DesignStore(gateway, design);
  const viewport = new Viewport(config.assetOrigins);

  const notices = h('div', { class: 'notices', 'aria-live': 'polite' });
  const showNotice = (notice: Notice) => {
    const item = h(
      'div',
      { class: `notice ${notice.kind}` },
      notice.message,
      notice.retry ? h('button', { class: 'retry', onClick: () => (item.remove(), notice.retry!()) }, 'Apply my change again') : null,
      h('button', { class: 'dismiss', onClick: () => item.remove() }, 'Dismiss'),
    );
    notices.append(item);
    // Conflicts stay until read: they hold a change that was not applied.
    if (notice.kind === 'info') setTimeout(() => item.remove(), 5000);
  };
  store.onNotice(showNotice);

  const liveStatus = h('span', { class: 'live-status', 'data-status': 'connecting' }, 'connecting…');
  const revision = h('span', { class: 'revision' });
  const undoButton = h('button', { class: 'undo', title: 'Undo (Ctrl-Z)', onClick: () => undoRedo('undo') }, 'Undo');
  const redoButton = h('button', { class: 'redo', title: 'Redo (Ctrl-Shift-Z)', onClick: () => undoRedo('redo') }, 'Redo');
  const title = h('h1', { class: 'design-name' });
  const header = h(
    'div',
    { class: 'design-header' },
    h('a', { href: '#/', class: 'all-designs' }, 'All designs'),
    title,
    revision,
    undoButton,
    redoButton,
    shareControl(store, gateway, config.users),
    liveStatus,
  );
  const showHeader = (d: DesignView) => {
    title.textContent = d.name;
    revision.textContent = `rev ${d.revision} · ${d.viewerRole?.toLowerCase() ?? 'reader'}`;
    undoButton.disabled = !store.editable || !d.canUndo;
    redoButton.disabled = !store.editable || !d.canRedo;
  };

  const undoRedo = (which: 'undo' | 'redo') => {
    if (!store.editable) return;
    void store.change(
      which === 'undo' ? 'Undo' : 'Redo',
      () => gateway.request<Record<string, DesignView>>(which === 'undo' ? UNDO : REDO, { designId }),
      (result) => store.applyDesignResult(result[which]!),
    );
  };
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (target.matches('input[type=text], input[type=number], textarea')) return;
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === 'z' || key === 'y') {
      event.preventDefault();
      undoRedo(key === 'y' || event.shiftKey ? 'redo' : 'undo');
    }
  };
  document.addEventListener('keydown', onKey);

  store.onChange((d) => {
    showHeader(d);
    void viewport.show(d);
  });
  showHeader(design);

  const stopLive = followDesign(
    gateway,
    designId,
    design.revision,
    (event) => store.applyEvent(event),
    (status, detail) => {
      liveStatus.dataset.status = status;
      liveStatus.textContent = detail ? `${status}: ${detail}` : status;
    },
  );

  const layers = new LayerPanel(store, gateway);
  const right = h(
    'aside',
    { class: 'right' },
    new CanvasPanel(store, gateway, viewport).element,
    new VersionsPanel(store, gateway, open).element,
    new ExportsPanel(store, gateway).element,
  );
  const element = h(
    'div',
    { class: 'design-page' },
    header,
    notices,
    h(
      'div',
      { class: 'workspace' },
      h('aside', { class: 'left' }, layers.element, new CatalogBrowser(store, gateway).element),
      viewport.element,
      right,
    ),
  );
  // Presence and comments (issue 14) only where the service has them.
  const closers: (() => void)[] = [];
  let closed = false;
  void collabFeatures(gateway).then((features) => {
    if (closed) return;
    // Says the question is settled (tests wait for it): which of the two the page shows.
    element.dataset.collab = Object.entries(features)
      .filter(([, on]) => on)
      .map(([name]) => name)
      .join(' ');
    if (features.presence) {
      const presence = new PresencePanel(store, gateway, me, (selections) => layers.showOthers(selections));
      layers.onSelect = (ids) => presence.select(ids);
      right.prepend(presence.element);
      closers.push(() => presence.close());
    }
    if (features.comments) {
      const comments = new CommentsPanel(store, gateway, viewport);
      right.append(comments.element);
      closers.push(() => comments.close());
    }
  });
  // The first build waits for the layout, so that the scene is made for the viewport's size.
  requestAnimationFrame(() => void viewport.show(store.design));
  return {
    element,
    store,
    viewport,
    close() {
      closed = true;
      for (const close of closers) close();
      stopLive();
      document.removeEventListener('keydown', onKey);
      viewport.dispose();
      fill(element);
    },
  };
}
