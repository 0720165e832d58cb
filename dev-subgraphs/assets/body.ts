import type { BufferGeometry, Group } from 'three';
import { REFERENCE_HEIGHT } from '../../src/render/scene-input';
import type { Three } from '../../src/three/load-three';

/**
 * Proportions of the development avatars, as fractions of height, in metres with Y up, feet at y = 0,
 * facing +Z. Garments are made for the reference height and fit other heights scaled by height.
 */
export interface Body {
  height: number;
  /** Half the shoulder width; women's and men's bodies differ here and at the hips. */
  shoulderHalfWidth: number;
  hipHalfWidth: number;
  torsoRadius: number;
  armRadius: number;
  legRadius: number;
  headRadius: number;
  /** Heights of landmarks. */
  y: {
    crown: number;
    eyes: number;
    neck: number;
    shoulder: number;
    chest: number;
    waist: number;
    hip: number;
    knee: number;
    wrist: number;
    ankle: number;
  };
}

export function bodyFor(bodyType: string, height = REFERENCE_HEIGHT): Body {
  const female = bodyType.startsWith('female');
  const h = height;
  return {
    height: h,
    shoulderHalfWidth: (female ? 0.105 : 0.12) * h,
    hipHalfWidth: (female ? 0.1 : 0.09) * h,
    torsoRadius: (female ? 0.085 : 0.092) * h,
    armRadius: 0.026 * h,
    legRadius: 0.042 * h,
    headRadius: 0.062 * h,
    y: {
      crown: h,
      eyes: 0.94 * h,
      neck: 0.86 * h,
      shoulder: 0.82 * h,
      chest: 0.74 * h,
      waist: 0.62 * h,
      hip: 0.52 * h,
      knee: 0.28 * h,
      wrist: 0.47 * h,
      ankle: 0.04 * h,
    },
  };
}

/** A vertical tube from y0 up to y1 (radii at the bottom and the top), centred at (x, z). */
export function tube(THREE: Three, r0: number, r1: number, y0: number, y1: number, x = 0, z = 0, open = false) {
  const geometry = new THREE.CylinderGeometry(r1, r0, y1 - y0, 24, 1, open);
  geometry.translate(x, (y0 + y1) / 2, z);
  return geometry;
}

export function buildBody(THREE: Three, body: Body, skin: string): Group {
  const material = new THREE.MeshStandardMaterial({ color: skin, roughness: 0.8 });
  const group = new THREE.Group();
  const add = (name: string, geometry: BufferGeometry) => {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = name;
    group.add(mesh);
  };
  const { y } = body;
  const head = new THREE.SphereGeometry(body.headRadius, 24, 16);
  head.translate(0, y.crown - body.headRadius, 0);
  add('head', head);
  const nose = new THREE.ConeGeometry(body.headRadius * 0.15, body.headRadius * 0.35, 12);
  nose.rotateX(Math.PI / 2);
  nose.translate(0, y.eyes - body.headRadius * 0.35, body.headRadius * 1.05);
  add('nose', nose);
  add('neck', tube(THREE, body.headRadius * 0.5, body.headRadius * 0.5, y.shoulder, y.crown - body.headRadius * 1.6));
  const torso = tube(THREE, body.hipHalfWidth, body.torsoRadius, y.hip, y.shoulder);
  torso.scale(1, 1, 0.7);
  add('torso', torso);
  for (const side of [-1, 1]) {
    add(
      side < 0 ? 'arm-right' : 'arm-left',
      tube(THREE, body.armRadius * 0.8, body.armRadius, y.wrist, y.shoulder, side * body.shoulderHalfWidth),
    );
    add(
      side < 0 ? 'leg-right' : 'leg-left',
      tube(THREE, body.legRadius * 0.6, body.legRadius, y.ankle, y.hip, side * body.hipHalfWidth * 0.5),
    );
    const foot = new THREE.BoxGeometry(body.legRadius * 1.2, y.ankle, body.height * 0.15);
    foot.translate(side * body.hipHalfWidth * 0.5, y.ankle / 2, body.height * 0.04);
    add(side < 0 ? 'foot-right' : 'foot-left', foot);
  }
  return group;
}
