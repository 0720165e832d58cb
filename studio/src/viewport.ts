import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { h } from './dom.js';
import { FrameMeter } from './frame-meter.js';
import type { BuiltScene, CanvasState, Vec3 } from './scene-api.js';
import { studioAssets } from './scene-assets.js';
import { sceneInputOf } from './scene-input.js';
import type { DesignView } from './types.js';

/**
 * The design in 3D, drawn by the project's scene builder (the server renders' own): each change
 * builds the scene again from the design's state (models and textures come from a cache, shader
 * programs are kept by drawing the new scene before the old one is freed), and the viewer's camera
 * survives rebuilds. Frames are drawn on demand (a change, the orbit controls, a resize), as an
 * editor should on a laptop's battery; `measureFrames` draws continuously to measure.
 */
export class Viewport {
  readonly element: HTMLElement;
  readonly meter: FrameMeter;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly camera = new THREE.PerspectiveCamera(50, 1, 0.05, 100);
  private readonly controls: OrbitControls;
  private readonly assets = studioAssets();
  private built: BuiltScene | null = null;
  private appliedCamera = '';
  private frameRequested = false;
  private lastDrawnFrame = -1;
  private frameCount = 0;
  private building: Promise<void> | null = null;
  private pending: DesignView | null = null;
  private continuous = 0;
  /** Resolves once the scene of the newest design given to `show` is drawn. */
  private drawnWaiters: (() => void)[] = [];
  lastError: string | null = null;
  private pins: { id: string; anchor: Vec3; element: HTMLElement }[] = [];
  private readonly pinLayer = h('div', { class: 'pins' });
  /**
   * The revision whose scene was drawn last, when (epoch ms: comparable with the clock of whoever
   * changed it), and how long building and drawing it took.
   */
  drawnScene: { revision: number; at: number; buildMs: number } | null = null;

  constructor(private readonly imageOrigins: string[]) {
    const meterElement = h('div', { class: 'frame-meter', id: 'frame-meter' }, 'frame –');
    this.meter = new FrameMeter(meterElement);
    this.renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.element = h('div', { class: 'viewport' }, this.renderer.domElement, this.pinLayer, meterElement);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.requestFrame());
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** The camera as the viewer left it, in the canvas settings' terms (to save it as the design's). */
  viewCamera(): CanvasState['camera'] {
    const round = (v: THREE.Vector3) => ({ x: +v.x.toFixed(3), y: +v.y.toFixed(3), z: +v.z.toFixed(3) });
    return { position: round(this.camera.position), target: round(this.controls.target), fov: this.camera.fov };
  }

  /** Builds and draws the design; designs given while a build runs coalesce into one more build. */
  show(design: DesignView): Promise<void> {
    this.pending = design;
    const drawn = new Promise<void>((resolve) => this.drawnWaiters.push(resolve));
    this.building ??= this.buildPending().finally(() => (this.building = null));
    return drawn;
  }

  private async buildPending(): Promise<void> {
    while (this.pending) {
      const design = this.pending;
      this.pending = null;
      const waiters = this.drawnWaiters.splice(0);
      const { width, height } = this.size();
      const started = performance.now();
      try {
        const built = await window.exports.buildScene(THREE, sceneInputOf(design, { width, height }, this.imageOrigins), this.assets);
        this.lastError = null;
        this.adoptCamera(design.canvas.camera, built);
        const previous = this.built;
        this.built = built;
        this.drawNow();
        this.drawnScene = { revision: design.revision, at: Date.now(), buildMs: performance.now() - started };
        if (previous) window.exports.disposeScene(previous);
      } catch (error) {
        this.lastError = (error as Error).message;
        console.error('the scene could not be built', error);
      }
      for (const resolve of waiters) resolve();
    }
  }

  /** The canvas camera when the design's changes, else the viewer's own, kept across rebuilds. */
  private adoptCamera(canvasCamera: CanvasState['camera'], built: BuiltScene): void {
    const key = JSON.stringify(canvasCamera);
    if (key !== this.appliedCamera) {
      this.appliedCamera = key;
      this.camera.position.copy(built.camera.position);
      this.camera.fov = built.camera.fov;
      this.controls.target.set(canvasCamera.target.x, canvasCamera.target.y, canvasCamera.target.z);
      this.camera.lookAt(this.controls.target);
      this.camera.updateProjectionMatrix();
      this.controls.update();
    }
    built.camera = this.camera;
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(1, this.element.clientWidth), height: Math.max(1, this.element.clientHeight) };
  }

  private resize(): void {
    const { width, height } = this.size();
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestFrame();
  }

  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame((at) => {
      this.frameRequested = false;
      this.frameCount += 1;
      if (this.continuous > 0) {
        this.continuous -= 1;
        this.requestFrame();
      }
      this.drawNow(at, true);
    });
  }

  /** Draws the scene; only draws inside animation frames count towards the frame interval. */
  private drawNow(at = performance.now(), inFrame = false): void {
    if (!this.built) return;
    const started = performance.now();
    window.exports.drawScene(THREE, this.renderer, this.built);
    const drawMs = performance.now() - started;
    this.placePins();
    this.meter.record(at, drawMs, inFrame && this.lastDrawnFrame === this.frameCount - 1);
    this.lastDrawnFrame = inFrame ? this.frameCount : -1;
  }

  /**
   * The point of the figure under a click, in the figure's own space (metres, as comments anchor
   * it), and the layer it belongs to, if any.
   */
  pick(event: MouseEvent): { anchor: Vec3; layerId: string | null } | null {
    if (!this.built) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    const pointer = new THREE.Vector2(
      ((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1,
    );
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(pointer, this.camera);
    const hit = raycaster.intersectObject(this.built.figure, true)[0];
    if (!hit) return null;
    let layerId: string | null = null;
    for (let o: THREE.Object3D | null = hit.object; o && !layerId; o = o.parent) if (o.name.startsWith('layer-')) layerId = o.name.slice(6);
    const local = this.built.figure.worldToLocal(hit.point.clone());
    const round = (v: number) => +v.toFixed(3);
    return { anchor: { x: round(local.x), y: round(local.y), z: round(local.z) }, layerId };
  }

  /** Markers over the view at points of the figure (comments pinned on the model). */
  setPins(pins: { id: string; anchor: Vec3; label: string; color: string }[]): void {
    this.pins = pins.map((pin) => ({
      ...pin,
      element: h(
        'span',
        { class: 'pin', title: pin.label, style: `background:${pin.color}`, 'data-pin-id': pin.id },
        pin.label.slice(0, 2),
      ),
    }));
    this.pinLayer.replaceChildren(...this.pins.map((p) => p.element));
    this.requestFrame();
  }

  private placePins(): void {
    if (!this.built || this.pins.length === 0) return;
    const { width, height } = this.size();
    for (const pin of this.pins) {
      const at = this.built.figure.localToWorld(new THREE.Vector3(pin.anchor.x, pin.anchor.y, pin.anchor.z)).project(this.camera);
      pin.element.style.transform = `translate(${((at.x + 1) / 2) * width}px, ${((1 - at.y) / 2) * height}px)`;
      pin.element.hidden = at.z > 1;
    }
  }

  /** Draws `frames` consecutive frames and answers the meter's averages over them. */
  async measureFrames(frames: number): Promise<ReturnType<FrameMeter['stats']>> {
    this.continuous = frames;
    this.requestFrame();
    while (this.continuous > 0 || this.frameRequested) await new Promise((r) => setTimeout(r, 50));
    return this.meter.stats();
  }

  /** The canvas's pixels as drawn now (RGBA, rows bottom-up), read in the same task as the draw. */
  readPixels(): { width: number; height: number; rgba: Uint8Array } {
    this.drawNow();
    const gl = this.renderer.getContext();
    const [width, height] = [gl.drawingBufferWidth, gl.drawingBufferHeight];
    const rgba = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
    return { width, height, rgba };
  }

  dispose(): void {
    this.controls.dispose();
    if (this.built) window.exports.disposeScene(this.built);
    this.renderer.dispose();
  }
}
