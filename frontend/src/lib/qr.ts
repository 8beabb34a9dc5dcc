// Reading QR codes (join codes, member ids) from a picture or a camera frame,
// with jsQR. Nothing leaves the computer.
import jsQR from 'jsqr';

/** decodePixels returns the text of the QR code in an RGBA pixel buffer of
 * width × height, or null when there is none. It also tries the inverted
 * image (a light code on a dark screen, photographed). */
export function decodePixels(data: Uint8ClampedArray, width: number, height: number): string | null {
  const hit = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  return hit ? hit.data : null;
}

/** maxSide bounds the longest side, in pixels, of a picture before decoding:
 * phone photos are 4000 px wide, and a QR code needs far fewer. */
export const maxSide = 1600;

/** decodeImage reads the QR code in an image file (PNG, JPEG, a screenshot
 * pasted from the clipboard). It resolves to the code's text, or rejects with
 * Error('no-qr') when the picture holds none and Error('bad-image') when it
 * is not a picture the browser can read. */
export async function decodeImage(blob: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error('bad-image');
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const text = decodeFrame(bitmap, w, h);
  bitmap.close();
  if (text === null) throw new Error('no-qr');
  return text;
}

/** decodeFrame draws source (an image or a video frame) at w × h and reads
 * the QR code in it, or returns null. */
export function decodeFrame(source: CanvasImageSource, w: number, h: number): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  // A white background: a transparent PNG's code would otherwise read as
  // black on black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h);
  return decodePixels(img.data, w, h);
}
