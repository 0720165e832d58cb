import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { CHECKPOINT, DIFF, FORK, RESTORE, VERSIONS } from './operations.js';
import type { DesignView, DesignEvent } from './types.js';

interface VersionRow {
  number: number;
  kind: string;
  message: string | null;
  createdAt: string;
  createdBy: { id: string } | null;
}

interface Diff {
  fromVersion: number;
  toVersion: number;
  layersAdded: string[];
  layersRemoved: string[];
  layersChanged: { layerId: string; fields: string[] }[];
  layersReordered: boolean;
  canvasChanged: string[];
  designChanged: string[];
}

/** Versions: a checkpoint with a message, the history, the diff between two versions, restore and fork. */
export class VersionsPanel {
  readonly element = h('section', { class: 'panel versions' });
  private versions: VersionRow[] = [];
  private from: number | null = null;
  private to: number | null = null;
  private diff: Diff | null = null;
  private message = '';

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
    private readonly open: (designId: string) => void,
  ) {
    store.onEvent((event: DesignEvent) => {
      if (event.type === 'VERSION_CREATED' || event.type === 'RESTORED') void this.load();
    });
    void this.load();
  }

  private async load(): Promise<void> {
    const { design } = await this.gateway.request<{ design: { versions: { edges: { node: VersionRow }[] } } | null }>(VERSIONS, {
      id: this.store.id,
    });
    this.versions = design?.versions.edges.map((e) => e.node) ?? [];
    this.render();
  }

  private checkpoint(message: string): void {
    void this.gateway
      .request(CHECKPOINT, { designId: this.store.id, message: message.trim() || null })
      .then(() => this.load())
      .catch((error: Error) => this.store.notify({ kind: 'error', message: `Checkpoint failed: ${error.message}` }));
  }

  private restore(version: number): void {
    void this.store.change(
      `Restore version ${version}`,
      (rev) => this.gateway.request<{ restoreVersion: DesignView }>(RESTORE, { designId: this.store.id, version, rev }),
      (result) => this.store.applyDesignResult(result.restoreVersion),
    );
  }

  private fork(): void {
    const name = prompt('Name of the fork', `${this.store.design.name} (fork)`);
    if (name === null) return;
    void this.gateway
      .request<{ forkDesign: { id: string } }>(FORK, { id: this.store.id, name: name.trim() || null })
      .then(({ forkDesign }) => this.open(forkDesign.id))
      .catch((error: Error) => this.store.notify({ kind: 'error', message: `Fork failed: ${error.message}` }));
  }

  private async showDiff(): Promise<void> {
    if (this.from === null || this.to === null) return;
    try {
      const { designDiff } = await this.gateway.request<{ designDiff: Diff }>(DIFF, {
        designId: this.store.id,
        from: this.from,
        to: this.to,
      });
      this.diff = designDiff;
    } catch (error) {
      this.store.notify({ kind: 'error', message: `Diff failed: ${(error as Error).message}` });
    }
    this.render();
  }

  private diffView(diff: Diff): HTMLElement {
    const names = new Map(this.store.design.layers.map((l) => [l.id, l.name ?? l.catalogItem.name]));
    const name = (id: string) => names.get(id) ?? id.slice(0, 8);
    const line = (label: string, values: string[]) => (values.length ? h('li', {}, `${label}: ${values.join(', ')}`) : null);
    return h(
      'div',
      { class: 'diff' },
      h('h3', {}, `Version ${diff.fromVersion} → ${diff.toVersion}`),
      h(
        'ul',
        {},
        line('Layers added', diff.layersAdded.map(name)),
        line('Layers removed', diff.layersRemoved.map(name)),
        ...diff.layersChanged.map((c) => line(`Changed ${name(c.layerId)}`, c.fields)),
        diff.layersReordered ? h('li', {}, 'Layers reordered') : null,
        line('Canvas', diff.canvasChanged),
        line('Design', diff.designChanged),
      ),
    );
  }

  private render(): void {
    const editable = this.store.editable;
    // Kept across redraws (each version event draws the panel again).
    const message = h('input', {
      type: 'text',
      class: 'checkpoint-message',
      placeholder: 'Checkpoint message',
      value: this.message,
      onInput: (e: Event) => (this.message = (e.target as HTMLInputElement).value),
    });
    fill(
      this.element,
      h('h2', {}, 'Versions'),
      editable
        ? h(
            'div',
            { class: 'row' },
            message,
            h(
              'button',
              {
                class: 'checkpoint',
                onClick: () => {
                  this.message = '';
                  this.checkpoint(message.value);
                },
              },
              'Checkpoint',
            ),
          )
        : null,
      h('button', { class: 'fork', onClick: () => this.fork() }, 'Fork this design'),
      h(
        'table',
        { class: 'version-list' },
        h('tr', {}, h('th', {}, 'from'), h('th', {}, 'to'), h('th', {}, '#'), h('th', {}, 'kind'), h('th', {}, '')),
        ...this.versions.map((v) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('input', { type: 'radio', name: 'diff-from', checked: this.from === v.number, onChange: () => (this.from = v.number) }),
            ),
            h(
              'td',
              {},
              h('input', { type: 'radio', name: 'diff-to', checked: this.to === v.number, onChange: () => (this.to = v.number) }),
            ),
            h('td', {}, String(v.number)),
            h('td', { title: new Date(v.createdAt).toLocaleString() }, `${v.kind.toLowerCase()}${v.message ? `: ${v.message}` : ''}`),
            h('td', {}, editable ? h('button', { class: 'restore', onClick: () => this.restore(v.number) }, 'Restore') : null),
          ),
        ),
      ),
      h('button', { class: 'show-diff', onClick: () => void this.showDiff() }, 'Diff selected'),
      this.diff ? this.diffView(this.diff) : null,
    );
  }
}
