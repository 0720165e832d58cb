import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportGlb } from '../../src/three/export-glb';
import { loadThree } from '../../src/three/load-three';
import { AVATARS, CATALOG, hasModel } from '../seed-data';
import { REFERENCE_HEIGHT } from '../../src/render/scene-input';
import { bodyFor, buildBody } from './body';
import { buildGarment } from './garments';
import { buildTexture } from './textures';

/** Where the generated files live: outside git, made again whenever they are missing. */
export const ASSETS_DIR = process.env.DEV_ASSETS_DIR ?? join(__dirname, '..', '..', '..', '.data', 'assets');

const SKIN = ['#e0ac69', '#c68642', '#f1c27d', '#8d5524'];

export const modelPath = (id: string) => join(ASSETS_DIR, 'models', `${id}.glb`);
export const texturePath = (id: string) => join(ASSETS_DIR, 'textures', `${id}.png`);

/**
 * Writes a GLB for every avatar and every SILHOUETTE, ELEMENT and ACCESSORY item, and a PNG for
 * every FABRIC and PATTERN item. Garments are made for the reference height on the first body type
 * they fit. Files that exist are kept unless `force`.
 */
export async function generateAssets(force = false): Promise<{ written: number; dir: string }> {
  const THREE = await loadThree();
  mkdirSync(join(ASSETS_DIR, 'models'), { recursive: true });
  mkdirSync(join(ASSETS_DIR, 'textures'), { recursive: true });
  let written = 0;
  const write = async (path: string, make: () => Promise<Buffer>) => {
    if (!force && existsSync(path)) return;
    writeFileSync(path, await make());
    written += 1;
  };
  for (const [i, avatar] of AVATARS.entries()) {
    await write(modelPath(avatar.id), () => {
      const group = buildBody(THREE, bodyFor(avatar.bodyType, avatar.height), SKIN[i % SKIN.length]!);
      group.name = avatar.id;
      return exportGlb(group);
    });
  }
  for (const item of CATALOG) {
    if (hasModel(item)) {
      await write(modelPath(item.id), () =>
        exportGlb(buildGarment(THREE, item, bodyFor(item.compatibleBodyTypes[0] ?? 'unisex', REFERENCE_HEIGHT))),
      );
    } else {
      await write(texturePath(item.id), () => buildTexture(item));
    }
  }
  return { written, dir: ASSETS_DIR };
}

if (require.main === module) {
  const started = Date.now();
  generateAssets(process.argv.includes('--force')).then(
    ({ written, dir }) => process.stdout.write(`wrote ${written} assets to ${dir} in ${Date.now() - started} ms\n`),
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
