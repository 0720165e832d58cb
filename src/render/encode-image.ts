import type sharp from 'sharp';

/** The one place images are encoded: JPEG has no alpha, so it gets a white background. */
export async function encodeImage(image: sharp.Sharp, format: string): Promise<Buffer> {
  if (format === 'JPEG') return image.flatten({ background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
  if (format === 'WEBP') return image.webp({ quality: 90 }).toBuffer();
  return image.png().toBuffer();
}
