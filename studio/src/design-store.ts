import { GatewayError, type Gateway } from './gateway.js';
import { DESIGN } from './operations.js';
import type { CanvasState } from './scene-api.js';
import type { DesignEvent, DesignView, LayerView } from './types.js';

export interface Notice {
  kind: 'conflict' | 'error' | 'info';
  message: string;
  /** A change that did not apply, to send again on top of the latest state. */
  retry?: () => void;
}

/** Events that are not changes of the design (not in the change log): they carry the revision they concern. */
const NOT_CHANGES = new Set(['RENDER_UPDATED', 'EXPORT_UPDATED', 'AUTOSAVED']);
/** Changes whose event does not carry all they changed (groups, stacks, restores): the design is read again. */
const RELOADING = new Set([
  'LAYER_REMOVED',
  'LAYER_GROUPS_CHANGED',
  'RESTORED',
  'DESIGN_UPDATED',
  'COLLABORATORS_CHANGED',
  'VERSION_CREATED',
]);

/**
 * The open design as this page knows it: the last full read, brought forward by live events and by
 * the answers to its own changes, each part (a layer, the canvas) only by something newer than what
 * set it. Changes go out one at a time with the revision they were made on (expectedRevision); a
 * CONFLICT reloads the latest state and is shown with the change, to send again, never dropped unseen.
 */
export class DesignStore {
  private readonly partRevisions = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private reloading: Promise<void> | null = null;
  private readonly changeListeners: ((design: DesignView) => void)[] = [];
  private readonly eventListeners: ((event: DesignEvent) => void)[] = [];
  private readonly noticeListeners: ((notice: Notice) => void)[] = [];
  /** The revision of the last full state: parts no event or answer has set since are that old. */
  private fullRevision: number;

  constructor(
    private readonly gateway: Gateway,
    public design: DesignView,
  ) {
    this.fullRevision = design.revision;
  }

  get id(): string {
    return this.design.id;
  }

  get editable(): boolean {
    return this.design.viewerRole === 'OWNER' || this.design.viewerRole === 'EDITOR';
  }

  onChange(listener: (design: DesignView) => void): void {
    this.changeListeners.push(listener);
  }
  onEvent(listener: (event: DesignEvent) => void): void {
    this.eventListeners.push(listener);
  }
  onNotice(listener: (notice: Notice) => void): void {
    this.noticeListeners.push(listener);
  }
  notify(notice: Notice): void {
    for (const listener of this.noticeListeners) listener(notice);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener(this.design);
  }

  /** A full read (or a change that answers the whole design). Older than what events brought: read again. */
  applyDesign(design: DesignView, force = false): void {
    if (!force && design.revision < this.design.revision) return void this.reload();
    this.design = design;
    this.fullRevision = design.revision;
    this.partRevisions.clear();
    this.changed();
  }

  reload(force = false): Promise<void> {
    this.reloading ??= this.gateway
      .request<{ design: DesignView | null }>(DESIGN, { id: this.id })
      .then(({ design }) => {
        if (!design) return this.notify({ kind: 'error', message: 'This design is gone, or you may no longer read it.' });
        this.applyDesign(design, force);
      })
      .finally(() => (this.reloading = null));
    return this.reloading;
  }

  private upsertLayer(layer: LayerView, added: boolean): void {
    const layers = this.design.layers.filter((l) => l.id !== layer.id);
    if (added && layers.length === this.design.layers.length) {
      for (const other of layers) if (other.order >= layer.order) other.order += 1;
    }
    layers.push(layer);
    layers.sort((a, b) => a.order - b.order);
    this.design = { ...this.design, layers };
  }

  /** A live event: the design's changes in revision order, renders and exports as they move. */
  applyEvent(event: DesignEvent): void {
    for (const listener of this.eventListeners) listener(event);
    if (NOT_CHANGES.has(event.type)) return;
    if (event.type === 'DESIGN_DELETED') return this.notify({ kind: 'error', message: 'This design was deleted.' });
    const known = this.design.revision;
    if (RELOADING.has(event.type)) {
      if (event.revision > known) void this.reload();
      return;
    }
    let touched = false;
    if (
      event.layer &&
      (event.type === 'LAYER_ADDED' || event.type === 'LAYER_UPDATED') &&
      this.isNewer(`layer:${event.layer.id}`, event.revision)
    ) {
      this.upsertLayer(event.layer, event.type === 'LAYER_ADDED');
      touched = true;
    }
    if (event.type === 'LAYERS_REORDERED' && event.layerIds && this.isNewer('stack', event.revision)) {
      const order = new Map(event.layerIds.map((id, index) => [id, index]));
      const layers = this.design.layers.map((l) => ({ ...l, order: order.get(l.id) ?? l.order })).sort((a, b) => a.order - b.order);
      this.design = { ...this.design, layers };
      touched = true;
    }
    if (event.canvas && this.isNewer('canvas', event.revision)) {
      this.design = { ...this.design, canvas: event.canvas };
      touched = true;
    }
    if (event.revision > this.design.revision) {
      this.design = { ...this.design, revision: event.revision };
      touched = true;
    }
    if (touched) this.changed();
  }

  /** Whether something at `revision` is newer than what set this part (or the full read, for a part no event set). */
  private isNewer(part: string, revision: number): boolean {
    const base = this.partRevisions.get(part) ?? this.fullRevision;
    if (revision <= base) return false;
    this.partRevisions.set(part, revision);
    return true;
  }

  /**
   * Sends one change, after the ones before it, with the revision it is made on. `apply` takes the
   * answer into the state. A CONFLICT reloads and shows the change with a way to send it again.
   */
  change<T>(label: string, send: (revision: number) => Promise<T>, apply: (result: T, sentOn: number) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const revision = this.design.revision;
      try {
        apply(await send(revision), revision);
      } catch (error) {
        if (error instanceof GatewayError && error.code === 'CONFLICT') {
          await this.reload(true);
          this.notify({
            kind: 'conflict',
            message: `Conflict: "${label}" was made on revision ${revision}, but the design had moved on to ${String(error.extensions.currentRevision ?? 'a newer one')}. The latest state is loaded; your change is not in it.`,
            retry: () => void this.change(label, send, apply),
          });
        } else {
          this.notify({ kind: 'error', message: `"${label}" failed: ${(error as Error).message}` });
        }
      }
    });
    this.queue = run;
    return run;
  }

  /** A layer as a change answered it, with the design's revision, undo and redo after the change. */
  applyLayerResult(layer: LayerView & { design: { revision: number; canUndo: boolean; canRedo: boolean } }, added = false): void {
    const { design, ...view } = layer;
    if (this.isNewer(`layer:${view.id}`, design.revision)) this.upsertLayer(view, added);
    this.design = {
      ...this.design,
      revision: Math.max(this.design.revision, design.revision),
      canUndo: design.canUndo,
      canRedo: design.canRedo,
    };
    this.changed();
  }

  /** The canvas as a change answered it: a change checked against `sentOn` made revision sentOn + 1 (O1, C1). */
  applyCanvasResult(canvas: CanvasState, sentOn: number): void {
    if (this.isNewer('canvas', sentOn + 1)) this.design = { ...this.design, canvas };
    this.design = { ...this.design, revision: Math.max(this.design.revision, sentOn + 1), canUndo: true, canRedo: false };
    this.changed();
  }

  /** A whole design as a change answered it. */
  applyDesignResult(design: DesignView): void {
    this.applyDesign(design);
  }
}
