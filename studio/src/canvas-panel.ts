import { fill, h } from './dom.js';
import type { DesignStore } from './design-store.js';
import type { Gateway } from './gateway.js';
import { UPDATE_CANVAS } from './operations.js';
import type { CanvasState, LightingPreset } from './scene-api.js';
import type { DesignView } from './types.js';
import type { Viewport } from './viewport.js';

const PRESETS: LightingPreset[] = ['STUDIO', 'OUTDOOR', 'RUNWAY', 'SOFT', 'DRAMATIC'];

/** Canvas settings: background, lighting, shadows, field of view, and the viewer's camera saved as the design's. */
export class CanvasPanel {
  readonly element = h('section', { class: 'panel canvas-settings' });

  constructor(
    private readonly store: DesignStore,
    private readonly gateway: Gateway,
    private readonly viewport: Viewport,
  ) {
    store.onChange((design) => this.render(design));
    this.render(store.design);
  }

  private update(label: string, input: Record<string, unknown>): void {
    void this.store.change(
      label,
      (rev) => this.gateway.request<{ updateCanvasSettings: CanvasState }>(UPDATE_CANVAS, { designId: this.store.id, input, rev }),
      (result, sentOn) => this.store.applyCanvasResult(result.updateCanvasSettings, sentOn),
    );
  }

  private render(design: DesignView): void {
    const canvas = design.canvas;
    const disabled = !this.store.editable;
    const background = canvas.background;
    fill(
      this.element,
      h('h2', {}, 'Canvas'),
      h(
        'label',
        {},
        'Background ',
        h('input', {
          type: 'color',
          class: 'background-color',
          disabled,
          value: background.type === 'COLOR' ? background.value : '#f0f0f0',
          onChange: (e: Event) => this.update('Background', { background: { type: 'COLOR', value: (e.target as HTMLInputElement).value } }),
        }),
        h('small', {}, ` ${background.type.toLowerCase()}`),
      ),
      h(
        'label',
        {},
        'Lighting ',
        h(
          'select',
          {
            class: 'lighting',
            disabled,
            onChange: (e: Event) => this.update('Lighting', { lighting: { preset: (e.target as HTMLSelectElement).value } }),
          },
          ...PRESETS.map((p) => h('option', { value: p, selected: p === canvas.lighting.preset }, p.toLowerCase())),
        ),
      ),
      h(
        'label',
        {},
        'Intensity ',
        h('input', {
          type: 'range',
          class: 'intensity',
          min: 0,
          max: 3,
          step: 0.1,
          value: String(canvas.lighting.intensity),
          disabled,
          onChange: (e: Event) => this.update('Light intensity', { lighting: { intensity: Number((e.target as HTMLInputElement).value) } }),
        }),
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          class: 'shadows',
          checked: canvas.shadows,
          disabled,
          onChange: (e: Event) => this.update('Shadows', { shadows: (e.target as HTMLInputElement).checked }),
        }),
        ' Shadows',
      ),
      h(
        'label',
        {},
        'Field of view ',
        h('input', {
          type: 'number',
          class: 'fov',
          min: 10,
          max: 120,
          value: String(canvas.camera.fov),
          disabled,
          onChange: (e: Event) => this.update('Field of view', { camera: { fov: Number((e.target as HTMLInputElement).value) } }),
        }),
      ),
      h(
        'button',
        { class: 'save-camera', disabled, onClick: () => this.update('Camera', { camera: this.viewport.viewCamera() }) },
        'Use this view as the design’s camera',
      ),
    );
  }
}
