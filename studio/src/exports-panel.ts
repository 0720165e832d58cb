import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { EXPORT_DESIGN, EXPORTS, REQUEST_RENDER } from './operations.js';
import type { DesignEvent, ExportView, RenderView } from './types.js';

const FORMATS: Record<string, string[]> = {
  IMAGE: ['PNG', 'JPEG', 'WEBP'],
  VIDEO: ['MP4', 'WEBM', 'GIF'],
  MODEL: ['GLB', 'GLTF', 'OBJ'],
  TECHPACK: ['PDF'],
};

/** Renders and exports: ask for them, watch them move live (RENDER_UPDATED, EXPORT_UPDATED), download the file. */
export class ExportsPanel {
  readonly element = h('section', { class: 'panel exports' });
  private exports: ExportView[] = [];
  private render: RenderView | null = null;
  private type = 'IMAGE';
  private format = 'PNG';
  private size = 512;

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
  ) {
    store.onEvent((event: DesignEvent) => {
      if (event.export) this.upsert(event.export);
      if (event.render && event.render.id === this.render?.id) this.render = event.render;
      if (event.export || event.render) this.draw();
    });
    void gateway
      .request<{ design: { exports: { edges: { node: ExportView }[] } } | null }>(EXPORTS, { id: store.id })
      .then(({ design }) => {
        for (const edge of design?.exports.edges ?? []) this.upsert(edge.node);
        this.draw();
      });
    this.draw();
  }

  private upsert(exported: ExportView): void {
    const at = this.exports.findIndex((e) => e.id === exported.id);
    if (at >= 0) this.exports[at] = { ...this.exports[at], ...exported };
    else this.exports.unshift(exported);
  }

  private options(): Record<string, unknown> {
    const side = this.size;
    if (this.type === 'IMAGE') return { image: { width: side, height: side } };
    if (this.type === 'VIDEO') return { video: { width: side, height: side, fps: 12, durationSeconds: 2 } };
    return {};
  }

  private startExport(): void {
    const input = { type: this.type, format: this.format, ...this.options() };
    void this.gateway
      .request<{ exportDesign: ExportView }>(EXPORT_DESIGN, { designId: this.store.id, input })
      .then(({ exportDesign }) => {
        this.upsert(exportDesign);
        this.draw();
      })
      .catch((error: Error) => this.store.notify({ kind: 'error', message: `Export failed: ${error.message}` }));
  }

  private requestRender(): void {
    void this.gateway
      .request<{ requestRender: RenderView }>(REQUEST_RENDER, {
        designId: this.store.id,
        settings: { width: this.size, height: this.size },
      })
      .then(({ requestRender }) => {
        this.render = requestRender;
        this.draw();
      })
      .catch((error: Error) => this.store.notify({ kind: 'error', message: `Render failed: ${error.message}` }));
  }

  private draw(): void {
    const editable = this.store.editable;
    const render = this.render;
    fill(
      this.element,
      h('h2', {}, 'Renders and exports'),
      h(
        'div',
        { class: 'row' },
        h(
          'select',
          {
            class: 'export-type',
            onChange: (e: Event) => {
              this.type = (e.target as HTMLSelectElement).value;
              this.format = FORMATS[this.type]![0]!;
              this.draw();
            },
          },
          ...Object.keys(FORMATS).map((t) => h('option', { value: t, selected: t === this.type }, t.toLowerCase())),
        ),
        h(
          'select',
          { class: 'export-format', onChange: (e: Event) => (this.format = (e.target as HTMLSelectElement).value) },
          ...FORMATS[this.type]!.map((f) => h('option', { value: f, selected: f === this.format }, f)),
        ),
        h('input', {
          type: 'number',
          class: 'export-size',
          min: 16,
          max: 4096,
          value: String(this.size),
          title: 'Size in pixels',
          onChange: (e: Event) => (this.size = Number((e.target as HTMLInputElement).value)),
        }),
      ),
      h(
        'div',
        { class: 'row' },
        h('button', { class: 'start-export', disabled: !editable, onClick: () => this.startExport() }, 'Export'),
        h('button', { class: 'request-render', disabled: !editable, onClick: () => this.requestRender() }, 'Render'),
      ),
      render
        ? h(
            'p',
            { class: 'render-status', 'data-status': render.status },
            `Render ${render.status.toLowerCase()}${render.cacheHit ? ' (cached)' : ''} `,
            render.imageUrl ? h('a', { href: render.imageUrl, target: '_blank', class: 'render-link' }, 'open image') : null,
            render.error ? h('span', { class: 'error' }, render.error) : null,
          )
        : null,
      h(
        'ul',
        { class: 'export-list' },
        ...this.exports.map((e) =>
          h(
            'li',
            { class: 'export', 'data-export-id': e.id, 'data-status': e.status },
            `${e.type.toLowerCase()} ${e.format} · ${e.status.toLowerCase()} `,
            h('progress', { max: 100, value: e.progress }),
            e.fileUrl && e.status === 'COMPLETED'
              ? h('a', { class: 'download', href: e.fileUrl, download: e.fileName ?? '' }, `download ${e.fileName ?? ''}`)
              : null,
            e.error ? h('span', { class: 'error' }, ` ${e.error}`) : null,
          ),
        ),
      ),
    );
  }
}
