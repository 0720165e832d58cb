import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import type { AppServices } from '../context';
import type { ExportSources } from '../render/scene-input';
import type { TechpackOptions } from '../services/exports/export-options';
import type { DesignState } from '../domain/design-state';
import { sharedRenderer } from '../render/shared-renderer';
import type { Progress } from './image-export';

const VIEWS: [string, number][] = [
  ['Front', 0],
  ['Side', 90],
  ['Back', 180],
];

/**
 * The tech pack: a PDF with the front, side and back renders, the bill of materials (one row per
 * layer, bottom to top), canvas and version information, and the designer's notes.
 */
export async function techpackExport(
  app: AppServices,
  state: DesignState,
  sources: ExportSources,
  options: TechpackOptions,
  meta: { version: number | null; revision: number; exportedAt: Date },
  progress: Progress,
): Promise<Buffer> {
  const renders: Buffer[] = [];
  if (options.includeRenders) {
    const renderer = await sharedRenderer(app.config.renderer);
    for (const [i, [, angle]] of VIEWS.entries()) {
      const input = { state, settings: { width: 480, height: 720, transparentBackground: false, turnDegrees: angle }, ...sources.scene };
      renders.push(
        await sharp(await renderer.render(input))
          .png()
          .toBuffer(),
      );
      await progress((0.8 * (i + 1)) / VIEWS.length);
    }
  }
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `${state.design.name} — tech pack`, Creator: 'design subgraph' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()));

  doc.fontSize(20).text(state.design.name);
  doc
    .fontSize(10)
    .fillColor('#555555')
    .text([state.design.category, ...state.design.tags].filter(Boolean).join(' · ') || 'No category or tags')
    .text(
      `${meta.version !== null ? `Version ${meta.version}` : 'Current state'}, revision ${meta.revision}; exported ${meta.exportedAt.toISOString()}`,
    )
    .fillColor('#000000');
  if (state.design.description) doc.moveDown(0.5).fontSize(10).text(state.design.description);
  if (renders.length) {
    const top = doc.y + 12;
    const width = (doc.page.width - 80 - 2 * 10) / 3;
    renders.forEach((image, i) => {
      const x = 40 + i * (width + 10);
      doc.image(image, x, top, { width });
      doc.fontSize(9).text(VIEWS[i]![0], x, top + width * 1.5 + 4, { width, align: 'center' });
    });
    doc.x = 40;
    doc.y = top + width * 1.5 + 24;
  }

  if (renders.length) doc.addPage();
  else doc.moveDown();
  doc.fontSize(14).text('Bill of materials');
  doc.moveDown(0.5).fontSize(9);
  doc.table({
    columnStyles: [24, 80, 120, 75, 55, 90, '*'],
    data: [
      ['#', 'Layer', 'Catalog item', 'Type', 'Colour', 'Material', 'Notes'],
      ...state.layers.map((layer) => [
        String(layer.order + 1),
        layer.name ?? '—',
        sources.itemNames[layer.catalogItemId] ?? layer.catalogItemId,
        layer.type,
        layer.customization.color ?? sources.scene.items[layer.catalogItemId]?.defaultColor ?? '—',
        layer.customization.materialItemId
          ? (sources.itemNames[layer.customization.materialItemId] ?? layer.customization.materialItemId)
          : '—',
        layer.notes ?? '',
      ]),
    ],
  });
  doc.moveDown().fontSize(14).text('Canvas');
  const canvas = state.canvas;
  doc
    .fontSize(9)
    .text(
      [
        `Camera at (${canvas.camera.position.x}, ${canvas.camera.position.y}, ${canvas.camera.position.z}) looking at (${canvas.camera.target.x}, ${canvas.camera.target.y}, ${canvas.camera.target.z}), field of view ${canvas.camera.fov}°`,
        `Lighting ${canvas.lighting.preset} at ${canvas.lighting.intensity}; background ${canvas.background.type} ${canvas.background.value}`,
        `Render quality ${canvas.renderQuality}; shadows ${canvas.shadows ? 'on' : 'off'}; antialiasing ${canvas.antialiasing ? 'on' : 'off'}`,
      ].join('\n'),
    );
  if (options.notes) doc.moveDown().fontSize(14).text("Designer's notes").fontSize(10).text(options.notes);
  doc.end();
  await finished;
  await progress(0.95);
  return Buffer.concat(chunks);
}
