import type { RawData } from 'ws';

/** A WebSocket frame as text: ws hands a Buffer by default (the other shapes only with another binaryType). */
export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
