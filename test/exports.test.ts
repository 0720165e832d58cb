import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import {
  addLayer,
  AVATAR_MALE,
  DESIGN_URL,
  errorCode,
  gql,
  ITEM,
  makeDesign,
  makeUser,
  ok,
  pollUntil,
  share,
  snapshotKept,
  subscribe,
  withDb,
  graphql,
  type TestUser,
} from './helpers';
import { ffprobe, readPdf } from './media';

const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

const EXPORT = graphql(`
  mutation ($d: ID!, $i: ExportInput!) {
    exportDesign(designId: $d, input: $i) {
      id
      status
      progress
      type
      format
    }
  }
`);
const STATUS = graphql(`
  query ($id: ID!) {
    export(id: $id) {
      id
      status
      progress
      fileUrl
      fileName
      fileSize
      error
      retryCount
      completedAt
      expiresAt
    }
  }
`);

async function finished(user: TestUser, id: string) {
  const isFinal = (e: { status: string } | null) => !!e && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(e.status);
  const exported = await pollUntil(async () => (await ok(user, STATUS, { id })).export, isFinal, 300);
  if (!isFinal(exported)) throw new Error('export did not finish');
  return exported;
}

async function designWithLayers() {
  const owner = await makeUser();
  const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE, name: 'Export me' });
  await addLayer(owner, id, { catalogItemId: ITEM.tshirt, customization: { color: '#2255aa' } });
  await addLayer(owner, id, { catalogItemId: ITEM.cap });
  await addLayer(owner, id, { catalogItemId: ITEM.trousers });
  return { owner, id };
}

describe('exports (IMAGE, MODEL, VIDEO and TECHPACK)', () => {
  test('a TECHPACK is a PDF with the three views, the bill of materials, canvas and version information and the notes', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: pdf } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'TECHPACK', format: 'PDF', version: 1, techpack: { notes: 'Wash cold, hang dry.' } },
    });
    let done = await finished(owner, pdf.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    assert.equal(done!.fileName, 'export-me-techpack.pdf');
    const first = await readPdf(await download(done!.fileUrl!));
    assert.equal(first.pages, 2);
    let text = first.text;
    for (const expected of [
      'Export me',
      'Version 1',
      'Front',
      'Side',
      'Back',
      'Bill of materials',
      "Designer's notes",
      'Wash cold, hang dry.',
      'Lighting STUDIO',
    ]) {
      assert.ok(text.includes(expected), `${expected} in the PDF`);
    }
    assert.ok(!text.includes('Crew-neck T-shirt'), 'version 1 had no layers yet');
    const { exportDesign: current } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'TECHPACK', format: 'PDF', techpack: { includeRenders: false } },
    });
    done = await finished(owner, current.id);
    text = (await readPdf(await download(done!.fileUrl!))).text;
    for (const expected of ['Crew-neck T-shirt', 'Baseball cap', 'Straight trousers', '#2255aa', 'SILHOUETTE', 'ACCESSORY']) {
      assert.ok(text.includes(expected), `${expected} in the bill of materials`);
    }
  });

  test('a VIDEO export is a turntable: MP4 H.264 yuv420p with faststart and the asked frame count; WebM VP9 and GIF too', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: mp4 } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'VIDEO', format: 'MP4', video: { width: 320, height: 240, fps: 10, durationSeconds: 1.5 } },
    });
    const done = await finished(owner, mp4.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    const mp4File = await download(done!.fileUrl!);
    const probe = JSON.parse(ffprobe(mp4File, ['-count_frames', '-show_streams', '-show_format', '-of', 'json']));
    const video = probe.streams[0];
    assert.deepEqual(
      [video.codec_name, video.pix_fmt, video.width, video.height, Number(video.nb_read_frames)],
      ['h264', 'yuv420p', 320, 240, 15],
    );
    assert.ok(Math.abs(Number(probe.format.duration) - 1.5) < 0.05, `duration ${probe.format.duration}`);
    const head = mp4File.subarray(0, 64).toString('latin1');
    assert.ok(
      head.indexOf('moov') > 0 && (head.indexOf('mdat') === -1 || head.indexOf('moov') < head.indexOf('mdat')),
      'faststart: moov before mdat',
    );
    for (const [format, codec] of [
      ['WEBM', 'vp9'],
      ['GIF', 'gif'],
    ]) {
      const { exportDesign: other } = await ok(owner, EXPORT, {
        d: id,
        i: { type: 'VIDEO', format, video: { width: 160, height: 120, fps: 5, durationSeconds: 1 } },
      });
      const file = await finished(owner, other.id);
      assert.equal(file!.status, 'COMPLETED', file!.error ?? undefined);
      const stream = JSON.parse(ffprobe(await download(file!.fileUrl!), ['-show_streams', '-of', 'json'])).streams[0];
      assert.equal(stream.codec_name, codec);
    }
  });

  test('an IMAGE export goes QUEUED -> PROCESSING -> COMPLETED with growing progress, and its file downloads', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: queued } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'IMAGE', format: 'PNG', image: { width: 320, height: 480 } },
    });
    assert.deepEqual([queued.status, queued.progress], ['QUEUED', 0]);
    const sub = subscribe(
      DESIGN_URL,
      owner,
      graphql(`
        subscription ($e: ID!) {
          exportUpdated(exportId: $e) {
            status
            progress
          }
        }
      `),
      { e: queued.id },
    );
    const done = await finished(owner, queued.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    assert.equal(done!.fileName, 'export-me-image.png');
    assert.ok(new Date(done!.expiresAt!).getTime() - new Date(done!.completedAt!).getTime() === 7 * 24 * 3600 * 1000);
    const file = Buffer.from(await (await fetch(done!.fileUrl!)).arrayBuffer());
    assert.equal(file.length, done!.fileSize);
    const meta = await sharp(file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 320, 480]);
    await sub.ended;
    const progress = sub.results.map((r) => r.data!.exportUpdated.progress);
    assert.deepEqual(
      [...progress].sort((a, b) => a - b),
      progress,
      `progress never decreases: ${progress}`,
    );
    assert.equal(sub.results.at(-1)!.data!.exportUpdated.status, 'COMPLETED');
  });

  test('extra angles make one contact sheet; JPEG and WEBP encode as asked', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: sheet } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'IMAGE', format: 'JPEG', image: { width: 100, height: 150, angles: [90, 180, 270, 45] } },
    });
    const done = await finished(owner, sheet.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    const meta = await sharp(Buffer.from(await (await fetch(done!.fileUrl!)).arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 400, 300], '5 views: 4 columns, 2 rows');
  });

  test('a MODEL export as GLB re-parses with the avatar and one mesh group per visible layer; OBJ and glTF too', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: glb } = await ok(owner, EXPORT, { d: id, i: { type: 'MODEL', format: 'GLB' } });
    const done = await finished(owner, glb.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    const { GLTFLoader } = await import('three/examples/jsm/loaders/GLTFLoader.js');
    const gltf = await new GLTFLoader().parseAsync(await (await fetch(done!.fileUrl!)).arrayBuffer(), '');
    const names = gltf.scene.children[0]!.children.map((c) => c.name);
    assert.equal(names[0], 'avatar');
    assert.equal(names.filter((n) => n.startsWith('layer-')).length, 3);
    let meshes = 0;
    gltf.scene.traverse((o) => void ((o as { isMesh?: boolean }).isMesh && meshes++));
    assert.ok(meshes > 10, `${meshes} meshes`);

    const { exportDesign: noAvatar } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'MODEL', format: 'OBJ', model: { includeAvatar: false } },
    });
    const obj = await (await fetch((await finished(owner, noAvatar.id))!.fileUrl!)).text();
    assert.match(obj, /^o /m);
    assert.doesNotMatch(obj, /^o (head|torso|nose)/m, 'no avatar meshes');
    const { exportDesign: gltfExport } = await ok(owner, EXPORT, { d: id, i: { type: 'MODEL', format: 'GLTF' } });
    const json = JSON.parse(await (await fetch((await finished(owner, gltfExport.id))!.fileUrl!)).text());
    assert.equal(json.asset.version, '2.0');
  });

  test("a MODEL export embeds a fabric layer's texture as PNG, upright for glTF, with its tiling", async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { avatarId: AVATAR_MALE, name: 'Denim' });
    await addLayer(owner, id, { catalogItemId: ITEM.denim });
    await addLayer(owner, id, { catalogItemId: ITEM.tshirt, customization: { materialItemId: ITEM.denim, textureScale: 2 } });
    const { exportDesign } = await ok(owner, EXPORT, { d: id, i: { type: 'MODEL', format: 'GLB', model: { includeAvatar: false } } });
    const done = await finished(owner, exportDesign.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    const glb = Buffer.from(await (await fetch(done!.fileUrl!)).arrayBuffer());
    const jsonLength = glb.readUInt32LE(12);
    const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString());
    const bin = glb.subarray(20 + jsonLength + 8);
    assert.equal(json.images?.length, 1, 'one image: the denim');
    assert.equal(json.images[0].mimeType, 'image/png');
    const view = json.bufferViews[json.images[0].bufferView];
    const embedded = bin.subarray(view.byteOffset ?? 0, (view.byteOffset ?? 0) + view.byteLength);
    const source = await (await fetch(`http://127.0.0.1:${process.env.TEST_CATALOG_PORT}/textures/${ITEM.denim}.png`)).arrayBuffer();
    const [a, b] = await Promise.all([
      sharp(embedded).ensureAlpha().raw().toBuffer(),
      sharp(Buffer.from(source)).flip().ensureAlpha().raw().toBuffer(),
    ]);
    assert.ok(a.equals(b), "the texture, rows turned for glTF's top-left origin");
    type Material = { pbrMetallicRoughness?: { baseColorTexture?: { extensions?: { KHR_texture_transform?: { scale: number[] } } } } };
    const textured = (json as { materials: Material[] }).materials.find((m) => m.pbrMetallicRoughness?.baseColorTexture);
    assert.ok(textured, 'a material with a base colour texture');
    assert.deepEqual(
      textured.pbrMetallicRoughness!.baseColorTexture!.extensions?.KHR_texture_transform?.scale,
      [8, 8],
      'tiling 4 × textureScale 2',
    );
  });

  test('an export past its 7 days loses its file and the state it was made from; the row stays', async () => {
    const owner = await makeUser();
    const { id } = await makeDesign(owner, { name: 'Short lived' });
    const { exportDesign } = await ok(owner, EXPORT, { d: id, i: { type: 'IMAGE', format: 'PNG', image: { width: 32, height: 32 } } });
    const done = await finished(owner, exportDesign.id);
    assert.equal((await fetch(done!.fileUrl!)).status, 200);
    await withDb((db) => db.query(`UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [exportDesign.id]));
    const after = await pollUntil(
      async () => (await ok(owner, STATUS, { id: exportDesign.id })).export,
      (e) => e!.fileUrl === null,
    );
    assert.equal(after!.fileUrl, null);
    assert.equal(after!.status, 'COMPLETED');
    // The link goes first, then the file and the state.
    const status = await pollUntil(
      async () => (await fetch(done!.fileUrl!)).status,
      (s) => s === 404,
      50,
      50,
    );
    assert.equal(status, 404);
    assert.equal(await snapshotKept(exportDesign.id), false);
  });

  test('wrong type and format pairs, bad options and missing rights are refused', async () => {
    const { owner, id } = await designWithLayers();
    const viewer = await makeUser();
    await share(owner, id, viewer, 'VIEWER');
    const wrong = await gql(owner, EXPORT, { d: id, i: { type: 'IMAGE', format: 'GLB' } });
    assert.equal(wrong.errors?.[0]?.extensions?.field, 'format');
    const angles = await gql(owner, EXPORT, { d: id, i: { type: 'IMAGE', format: 'PNG', image: { angles: Array(13).fill(10) } } });
    assert.equal(angles.errors?.[0]?.extensions?.field, 'image.angles');
    assert.equal(await errorCode(owner, EXPORT, { d: id, i: { type: 'IMAGE', format: 'PNG', version: 99 } }), 'BAD_USER_INPUT');
    assert.equal(await errorCode(viewer, EXPORT, { d: id, i: { type: 'IMAGE', format: 'PNG' } }), 'FORBIDDEN');
    assert.equal(await errorCode(await makeUser(), EXPORT, { d: id, i: { type: 'IMAGE', format: 'PNG' } }), 'NOT_FOUND');
    const fps = await gql(owner, EXPORT, { d: id, i: { type: 'VIDEO', format: 'MP4', video: { fps: 90 } } });
    assert.equal(fps.errors?.[0]?.extensions?.field, 'video.fps');
  });

  test('cancelExport stops an export; retryExport queues it again and it completes; a version can be exported', async () => {
    const { owner, id } = await designWithLayers();
    const { exportDesign: queued } = await ok(owner, EXPORT, {
      d: id,
      i: { type: 'IMAGE', format: 'PNG', image: { width: 64, height: 64, angles: [10, 20, 30, 40, 50, 60] } },
    });
    const { cancelExport } = await ok(
      owner,
      graphql(`
        mutation ($e: ID!) {
          cancelExport(id: $e) {
            status
          }
        }
      `),
      { e: queued.id },
    );
    assert.equal(cancelExport.status, 'CANCELLED');
    await new Promise((r) => setTimeout(r, 1500));
    const cancelled = (await ok(owner, STATUS, { id: queued.id })).export;
    assert.deepEqual([cancelled!.status, cancelled!.fileUrl], ['CANCELLED', null]);
    const { retryExport } = await ok(
      owner,
      graphql(`
        mutation ($e: ID!) {
          retryExport(id: $e) {
            status
            progress
            retryCount
          }
        }
      `),
      { e: queued.id },
    );
    assert.deepEqual(retryExport, { status: 'QUEUED', progress: 0, retryCount: 1 });
    const done = await finished(owner, queued.id);
    assert.equal(done!.status, 'COMPLETED', done!.error ?? undefined);
    assert.equal(await errorCode(owner, `mutation($e: ID!) { retryExport(id: $e) { status } }`, { e: queued.id }), 'BAD_USER_INPUT');
    const { exportDesign: v1 } = await ok(owner, EXPORT, { d: id, i: { type: 'MODEL', format: 'GLB', version: 1 } });
    assert.equal((await finished(owner, v1.id))!.status, 'COMPLETED');
  });
});
