import type { BufferGeometry, Group } from 'three';
import type { Three } from '../../src/three/load-three';
import type { SeedItem } from '../seed-data';
import { tube, type Body } from './body';

/** How far a layer sits off the skin, in metres. */
const EASE = 0.012;

type Parts = (THREE: Three, b: Body) => [string, BufferGeometry][];

function sleeves(THREE: Three, b: Body, toY: number, extra = 0): [string, BufferGeometry][] {
  const r = b.armRadius + EASE + extra;
  return [-1, 1].map((side) => [
    side < 0 ? 'sleeve-right' : 'sleeve-left',
    tube(THREE, r * 0.9, r, toY, b.y.shoulder, side * b.shoulderHalfWidth, 0, true),
  ]);
}

function bodice(THREE: Three, b: Body, fromY: number, toY: number, extra = 0, flare = 0): BufferGeometry {
  const geometry = tube(THREE, b.hipHalfWidth + EASE + extra + flare, b.torsoRadius + EASE + extra, fromY, toY, 0, 0, true);
  geometry.scale(1, 1, 0.75);
  return geometry;
}

function legs(THREE: Three, b: Body, toY: number): [string, BufferGeometry][] {
  const r = b.legRadius + EASE;
  return [-1, 1].map((side) => [
    side < 0 ? 'leg-right' : 'leg-left',
    tube(THREE, r * 0.8, r, toY, b.y.hip, side * b.hipHalfWidth * 0.5, 0, true),
  ]);
}

function box(THREE: Three, w: number, h: number, d: number, x: number, y: number, z: number): BufferGeometry {
  const geometry = new THREE.BoxGeometry(w, h, d);
  geometry.translate(x, y, z);
  return geometry;
}

function ring(THREE: Three, radius: number, thickness: number, y: number, zScale = 0.75): BufferGeometry {
  const geometry = new THREE.TorusGeometry(radius, thickness, 8, 32);
  geometry.rotateX(Math.PI / 2);
  geometry.scale(1, 1, zScale);
  geometry.translate(0, y, 0);
  return geometry;
}

/** The front surface of the torso at height y (the torso is squashed to 0.7 in z). */
const chestFront = (b: Body) => b.torsoRadius * 0.7 + EASE * 2;

const SHAPES: Record<string, Parts> = {
  'item-silhouette-t-shirt': (T, b) => [['body', bodice(T, b, b.y.hip - 0.02, b.y.shoulder + 0.01)], ...sleeves(T, b, b.y.shoulder - 0.12)],
  'item-silhouette-shirt': (T, b) => [['body', bodice(T, b, b.y.hip - 0.05, b.y.shoulder + 0.01)], ...sleeves(T, b, b.y.wrist + 0.02)],
  'item-silhouette-hoodie': (T, b) => {
    const hood = new T.SphereGeometry(b.headRadius + 0.03, 24, 12, 0, Math.PI * 2, 0, Math.PI / 2);
    hood.rotateX(-Math.PI / 2.5);
    hood.translate(0, b.y.crown - b.headRadius, -0.02);
    return [['body', bodice(T, b, b.y.hip - 0.04, b.y.shoulder + 0.01, 0.01)], ...sleeves(T, b, b.y.wrist, 0.006), ['hood', hood]];
  },
  'item-silhouette-trousers': (T, b) => [['waistband', bodice(T, b, b.y.hip - 0.04, b.y.hip + 0.05)], ...legs(T, b, b.y.ankle + 0.01)],
  'item-silhouette-shorts': (T, b) => [['waistband', bodice(T, b, b.y.hip - 0.04, b.y.hip + 0.05)], ...legs(T, b, b.y.knee + 0.1)],
  'item-silhouette-a-line-skirt': (T, b) => [['skirt', bodice(T, b, b.y.knee + 0.05, b.y.waist - 0.02, 0.005, 0.12)]],
  'item-silhouette-slip-dress': (T, b) => [['dress', bodice(T, b, b.y.knee, b.y.chest + 0.04, 0.004, 0.06)]],
  'item-silhouette-trench-coat': (T, b) => [
    ['body', bodice(T, b, b.y.knee - 0.02, b.y.shoulder + 0.02, 0.025, 0.06)],
    ...sleeves(T, b, b.y.wrist - 0.01, 0.012),
  ],
  'item-silhouette-puffer': (T, b) => [
    ['body', bodice(T, b, b.y.hip - 0.06, b.y.shoulder + 0.03, 0.04)],
    ...sleeves(T, b, b.y.wrist, 0.03),
  ],
  'item-element-patch-pocket': (T, b) => [['pocket', box(T, 0.09, 0.1, 0.006, b.torsoRadius * 0.45, b.y.chest, chestFront(b))]],
  'item-element-belt': (T, b) => [['belt', ring(T, b.hipHalfWidth + EASE * 2, 0.012, b.y.hip + 0.03)]],
  'item-element-collar': (T, b) => [['collar', ring(T, b.headRadius * 0.75, 0.015, b.y.shoulder + 0.02, 0.9)]],
  'item-element-zip': (T, b) => [['zip', box(T, 0.012, b.y.shoulder - b.y.hip, 0.006, 0, (b.y.shoulder + b.y.hip) / 2, chestFront(b))]],
  'item-element-ruffle': (T, b) => [['ruffle', ring(T, b.hipHalfWidth + 0.05, 0.02, b.y.knee + 0.06)]],
  'item-element-hood-drawcord': (T, b) =>
    [-1, 1].map((side) => [
      side < 0 ? 'cord-right' : 'cord-left',
      tube(T, 0.003, 0.003, b.y.chest - 0.05, b.y.shoulder, side * 0.04, chestFront(b)),
    ]),
  'item-accessory-cap': (T, b) => {
    const crown = new T.SphereGeometry(b.headRadius + 0.01, 24, 12, 0, Math.PI * 2, 0, Math.PI / 2);
    crown.translate(0, b.y.crown - b.headRadius * 0.9, 0);
    const brim = new T.CylinderGeometry(b.headRadius * 0.9, b.headRadius * 0.9, 0.006, 24, 1, false, -Math.PI / 2, Math.PI);
    brim.translate(0, b.y.crown - b.headRadius * 0.9, b.headRadius * 0.6);
    return [
      ['crown', crown],
      ['brim', brim],
    ];
  },
  'item-accessory-sneakers': (T, b) =>
    [-1, 1].map((side) => [
      side < 0 ? 'shoe-right' : 'shoe-left',
      box(T, b.legRadius * 1.5, b.y.ankle * 1.6, b.height * 0.17, side * b.hipHalfWidth * 0.5, b.y.ankle * 0.8, b.height * 0.04),
    ]),
  'item-accessory-heels': (T, b) =>
    [-1, 1].map((side) => [
      side < 0 ? 'shoe-right' : 'shoe-left',
      box(T, b.legRadius * 1.3, b.y.ankle * 1.3, b.height * 0.16, side * b.hipHalfWidth * 0.5, b.y.ankle * 0.65, b.height * 0.04),
    ]),
  'item-accessory-tote': (T, b) => {
    const handle = new T.TorusGeometry(0.08, 0.006, 8, 24, Math.PI);
    handle.rotateY(Math.PI / 2);
    handle.translate(b.hipHalfWidth + 0.06, b.y.hip + 0.12, 0);
    return [
      ['bag', box(T, 0.04, 0.32, 0.36, b.hipHalfWidth + 0.06, b.y.hip - 0.05, 0)],
      ['handle', handle],
    ];
  },
  'item-accessory-sunglasses': (T, b) =>
    [-1, 1].map((side) => [
      side < 0 ? 'lens-right' : 'lens-left',
      box(T, b.headRadius * 0.55, b.headRadius * 0.3, 0.004, side * b.headRadius * 0.35, b.y.eyes, b.headRadius + 0.01),
    ]),
  'item-accessory-tie': (T, b) => [['tie', box(T, 0.06, 0.4, 0.004, 0, b.y.shoulder - 0.22, chestFront(b))]],
};

/** The model of a SILHOUETTE, ELEMENT or ACCESSORY item: named meshes in the avatar's frame. */
export function buildGarment(THREE: Three, item: SeedItem, body: Body): Group {
  const shape = SHAPES[item.id];
  if (!shape) throw new Error(`no development model for catalog item ${item.id}`);
  const material = new THREE.MeshStandardMaterial({ color: item.defaultColor, roughness: 0.7, side: THREE.DoubleSide });
  const group = new THREE.Group();
  group.name = item.id;
  for (const [name, geometry] of shape(THREE, body)) {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = `${item.id}:${name}`;
    group.add(mesh);
  }
  return group;
}
