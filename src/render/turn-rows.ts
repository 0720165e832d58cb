/** The RGBA pixels with their rows in the opposite order: WebGL counts rows from the bottom, images from the top. */
export function turnRows(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const row = width * 4;
  const turned = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) turned.set(pixels.subarray(y * row, (y + 1) * row), (height - 1 - y) * row);
  return turned;
}
