import type * as THREE_NS from 'three';
import type { SceneInput, SceneItem } from './scene-input';

/**
 * Builds the three.js scene of a design state: avatar, each visible layer's catalog model in stack
 * order with its transform, colour, material, opacity and blend mode, the canvas camera, lighting
 * preset, background and shadows. Renders, turntable frames and exported models all come from it.
 *
 * It runs in Node and inside the renderer's browser page alike: three and the model and texture
 * loaders are arguments, and this file has no runtime import (the page loads it as a plain script).
 * Rotations are in degrees. FABRIC and PATTERN layers have no geometry of their own: their item is
 * a material that other layers name in `customization.materialItemId`.
 */
export interface SceneAssets {
  loadModel(url: string): Promise<THREE_NS.Object3D>;
  loadTexture(url: string): Promise<THREE_NS.Texture>;
}

export interface BuiltScene {
  scene: THREE_NS.Scene;
  camera: THREE_NS.PerspectiveCamera;
  /** The avatar and layers, turned by `turnScene` (lights, floor and camera stay). */
  figure: THREE_NS.Group;
  /** Null: transparent. */
  clearColor: string | null;
  shadows: boolean;
  /** OVERLAY layers, drawn by `drawScene` over an image of everything else. */
  overlay: { layers: THREE_NS.Object3D[]; uniforms: OverlayUniforms };
}

interface OverlayUniforms {
  [name: string]: { value: unknown };
  overlayBackdrop: { value: THREE_NS.Texture | null };
  overlayResolution: { value: THREE_NS.Vector2 };
}

/**
 * OVERLAY needs the colour beneath, which blending cannot read: the layer's shader reads it from an
 * image of the scene without the OVERLAY layers, and mixes in sRGB as image editors do (multiply
 * where the colour beneath is dark, screen where it is light). Over nothing, the layer shows as is.
 */
const OVERLAY_DECLARATIONS = `
uniform sampler2D overlayBackdrop;
uniform vec2 overlayResolution;
vec3 overlayLinearToSrgb( vec3 c ) {
  return mix( c * 12.92, 1.055 * pow( c, vec3( 1.0 / 2.4 ) ) - 0.055, step( vec3( 0.0031308 ), c ) );
}
`;
const OVERLAY_MIX = `
#include <colorspace_fragment>
{
  vec4 beneath = texture2D( overlayBackdrop, gl_FragCoord.xy / overlayResolution );
  vec3 base = overlayLinearToSrgb( beneath.rgb );
  vec3 blend = gl_FragColor.rgb;
  vec3 overlaid = mix( 2.0 * base * blend, 1.0 - 2.0 * ( 1.0 - base ) * ( 1.0 - blend ), step( vec3( 0.5 ), base ) );
  gl_FragColor.rgb = mix( blend, overlaid, beneath.a );
}
`;

function overlayMaterial(material: THREE_NS.Material, uniforms: OverlayUniforms): void {
  material.onBeforeCompile = (shader) => {
    Object.assign(shader.uniforms, uniforms);
    shader.fragmentShader = OVERLAY_DECLARATIONS + shader.fragmentShader.replace('#include <colorspace_fragment>', OVERLAY_MIX);
  };
  material.customProgramCacheKey = () => 'design-overlay';
}

/**
 * Draws a built scene with the renderer as it is set up (size, pixel ratio): in one pass, or with
 * OVERLAY layers in two, the first making the image of what lies beneath them.
 */
export function drawScene(THREE: Three, renderer: THREE_NS.WebGLRenderer, built: BuiltScene): void {
  renderer.shadowMap.enabled = built.shadows;
  renderer.setClearColor(built.clearColor ?? '#000000', built.clearColor ? 1 : 0);
  if (built.overlay.layers.length === 0) {
    renderer.render(built.scene, built.camera);
    return;
  }
  const size = renderer.getDrawingBufferSize(new THREE.Vector2());
  const beneath = new THREE.WebGLRenderTarget(size.x, size.y);
  for (const layer of built.overlay.layers) layer.visible = false;
  renderer.setRenderTarget(beneath);
  renderer.render(built.scene, built.camera);
  renderer.setRenderTarget(null);
  for (const layer of built.overlay.layers) layer.visible = true;
  built.overlay.uniforms.overlayBackdrop.value = beneath.texture;
  built.overlay.uniforms.overlayResolution.value.copy(size);
  renderer.render(built.scene, built.camera);
  beneath.dispose();
}

type Three = typeof THREE_NS;

/**
 * Turns a built scene's figure to a turntable angle: a turntable builds its scene once and only
 * turns it between frames, so that models, materials and compiled shaders stay on the GPU.
 */
export function turnScene(built: BuiltScene, degrees: number): void {
  built.figure.rotation.y = degrees * DEGREE;
}

/** Frees what a built scene gave the GPU (geometries, materials, their textures) once it is drawn. */
export function disposeScene(built: BuiltScene): void {
  built.scene.traverse((object) => {
    const mesh = object as THREE_NS.Mesh;
    mesh.geometry?.dispose();
    for (const material of ([] as THREE_NS.Material[]).concat(mesh.material ?? [])) {
      (material as THREE_NS.MeshStandardMaterial).map?.dispose();
      material.dispose();
    }
  });
}

const LIGHTING: Record<string, { ambient: number; key: number; fill: number; keyPosition: [number, number, number]; warm: string }> = {
  STUDIO: { ambient: 0.6, key: 1.6, fill: 0.6, keyPosition: [2, 4, 3], warm: '#ffffff' },
  OUTDOOR: { ambient: 0.9, key: 2.2, fill: 0.3, keyPosition: [5, 8, 2], warm: '#fff4e0' },
  RUNWAY: { ambient: 0.3, key: 2.4, fill: 0.8, keyPosition: [0, 5, 4], warm: '#ffffff' },
  SOFT: { ambient: 1.1, key: 0.8, fill: 0.8, keyPosition: [1, 3, 4], warm: '#fff8f0' },
  DRAMATIC: { ambient: 0.15, key: 2.8, fill: 0.1, keyPosition: [-3, 4, 1], warm: '#ffe6cc' },
};

const DEGREE = Math.PI / 180;
const DEFAULT_BACKGROUND = '#f0f0f0';

/** Blend modes WebGL's blending can do; OVERLAY is drawn by its shader (see drawScene). */
function applyBlendMode(THREE: Three, material: THREE_NS.Material, mode: string): void {
  switch (mode) {
    case 'MULTIPLY':
      material.blending = THREE.MultiplyBlending;
      material.premultipliedAlpha = true;
      return;
    case 'ADD':
      material.blending = THREE.AdditiveBlending;
      return;
    case 'SCREEN':
      material.blending = THREE.CustomBlending;
      material.blendEquation = THREE.AddEquation;
      material.blendSrc = THREE.OneFactor;
      material.blendDst = THREE.OneMinusSrcColorFactor;
      return;
    default:
      material.blending = THREE.NormalBlending;
  }
}

async function background(
  THREE: Three,
  input: SceneInput,
  assets: SceneAssets,
): Promise<{ texture: THREE_NS.Texture | THREE_NS.Color | null; clear: string | null }> {
  const { type, value } = input.state.canvas.background;
  if (input.settings.transparentBackground || type === 'TRANSPARENT') return { texture: null, clear: null };
  if (type === 'GRADIENT') {
    const [top, bottom] = value.split(',').map((c) => new THREE.Color(c.trim()));
    const data = new Uint8Array([
      ...bottom!.toArray().map((v) => Math.round(v * 255)),
      255,
      ...top!.toArray().map((v) => Math.round(v * 255)),
      255,
    ]);
    const texture = new THREE.DataTexture(data, 1, 2, THREE.RGBAFormat);
    texture.magFilter = THREE.LinearFilter;
    texture.colorSpace = THREE.SRGBColorSpace;
    texture.needsUpdate = true;
    return { texture, clear: top!.getStyle() };
  }
  if (type === 'IMAGE' && input.backgroundImageUrl) {
    const texture = await assets.loadTexture(input.backgroundImageUrl);
    texture.colorSpace = THREE.SRGBColorSpace;
    coverFrame(texture, input.settings.width / input.settings.height);
    return { texture, clear: DEFAULT_BACKGROUND };
  }
  // An IMAGE that may not be fetched (RENDER_IMAGE_ORIGINS) draws as the default colour.
  const color = type === 'COLOR' ? value : DEFAULT_BACKGROUND;
  return { texture: new THREE.Color(color), clear: color };
}

/** Crops the image to the frame's aspect, centred, as CSS `background-size: cover` does. */
function coverFrame(texture: THREE_NS.Texture, frameAspect: number): void {
  const image = texture.image as { width: number; height: number };
  const imageAspect = image.width / image.height;
  if (imageAspect > frameAspect) {
    texture.repeat.set(frameAspect / imageAspect, 1);
  } else {
    texture.repeat.set(1, imageAspect / frameAspect);
  }
  texture.offset.set((1 - texture.repeat.x) / 2, (1 - texture.repeat.y) / 2);
}

export async function buildScene(THREE: Three, input: SceneInput, assets: SceneAssets): Promise<BuiltScene> {
  const { state, settings } = input;
  const canvas = state.canvas;
  const scene = new THREE.Scene();
  const bg = await background(THREE, input, assets);
  scene.background = bg.texture;

  const light = LIGHTING[canvas.lighting.preset] ?? LIGHTING.STUDIO!;
  const intensity = canvas.lighting.intensity;
  scene.add(new THREE.HemisphereLight('#ffffff', '#404040', light.ambient * intensity));
  const key = new THREE.DirectionalLight(light.warm, light.key * intensity);
  key.position.set(...light.keyPosition);
  key.castShadow = canvas.shadows;
  key.shadow.mapSize.set(1024, 1024);
  scene.add(key);
  const fill = new THREE.DirectionalLight('#ffffff', light.fill * intensity);
  fill.position.set(-light.keyPosition[0], light.keyPosition[1] * 0.5, -light.keyPosition[2]);
  scene.add(fill);

  const figure = new THREE.Group();
  figure.name = 'figure';
  figure.rotation.y = (settings.turnDegrees ?? 0) * DEGREE;
  scene.add(figure);

  const scale = input.avatar?.itemScale ?? 1;
  if (input.avatar && settings.includeAvatar !== false) {
    const avatar = await assets.loadModel(input.avatar.modelUrl);
    avatar.name = 'avatar';
    avatar.traverse((o) => void ((o as THREE_NS.Mesh).isMesh && ((o as THREE_NS.Mesh).castShadow = canvas.shadows)));
    figure.add(avatar);
  }

  const overlay: BuiltScene['overlay'] = {
    layers: [],
    uniforms: { overlayBackdrop: { value: null }, overlayResolution: { value: new THREE.Vector2(1, 1) } },
  };
  const hiddenGroups = new Set(state.layerGroups.filter((g) => !g.visible).map((g) => g.id));
  for (const layer of state.layers) {
    if (settings.visibleOnly !== false && (!layer.visible || (layer.groupId && hiddenGroups.has(layer.groupId)))) continue;
    const item: SceneItem | undefined = input.items[layer.catalogItemId];
    if (!item?.modelUrl) continue;
    const model = await assets.loadModel(item.modelUrl);
    model.name = item.id;
    const material = new THREE.MeshStandardMaterial({
      color: layer.customization.color ?? item.defaultColor ?? '#cccccc',
      roughness: layer.customization.roughness ?? 0.7,
      metalness: layer.customization.metalness ?? 0,
      transparent: layer.opacity < 100,
      opacity: layer.opacity / 100,
      side: THREE.DoubleSide,
    });
    applyBlendMode(THREE, material, layer.blendMode);
    const materialItem = layer.customization.materialItemId ? input.items[layer.customization.materialItemId] : undefined;
    if (materialItem?.textureUrl) {
      const texture = await assets.loadTexture(materialItem.textureUrl);
      texture.wrapS = texture.wrapT = THREE.RepeatWrapping;
      texture.repeat.set(4 * layer.customization.textureScale, 4 * layer.customization.textureScale);
      texture.colorSpace = THREE.SRGBColorSpace;
      material.map = texture;
      if (!layer.customization.color) material.color.set('#ffffff');
    }
    model.traverse((o) => {
      const mesh = o as THREE_NS.Mesh;
      if (!mesh.isMesh) return;
      mesh.material = material;
      mesh.castShadow = canvas.shadows;
      mesh.renderOrder = layer.order + 1;
    });
    const { position, rotation, scale: s } = layer.transform;
    const placed = new THREE.Group();
    placed.add(model);
    placed.scale.set(scale * s.x, scale * s.y, scale * s.z);
    placed.position.set(position.x, position.y, position.z);
    placed.rotation.set(rotation.x * DEGREE, rotation.y * DEGREE, rotation.z * DEGREE);
    placed.name = `layer-${layer.id}`;
    figure.add(placed);
    if (layer.blendMode === 'OVERLAY') {
      overlayMaterial(material, overlay.uniforms);
      overlay.layers.push(placed);
    }
  }

  if (canvas.shadows) {
    const floor = new THREE.Mesh(new THREE.CircleGeometry(1.5, 48), new THREE.ShadowMaterial({ opacity: 0.25 }));
    floor.rotation.x = -Math.PI / 2;
    floor.receiveShadow = true;
    floor.name = 'floor';
    scene.add(floor);
  }

  const view = {
    ...canvas.camera,
    ...Object.fromEntries(Object.entries(settings.camera ?? {}).filter(([, v]) => v !== null && v !== undefined)),
  } as typeof canvas.camera;
  const camera = new THREE.PerspectiveCamera(view.fov, settings.width / settings.height, 0.05, 100);
  camera.position.set(view.position.x, view.position.y, view.position.z);
  camera.lookAt(view.target.x, view.target.y, view.target.z);
  return { scene, camera, figure, clearColor: bg.clear, shadows: canvas.shadows, overlay };
}
