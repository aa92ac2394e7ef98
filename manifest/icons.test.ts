import { checkIcons } from './checkIcons';
import { drawColorIcon, drawOutlineIcon } from './icons';
import { encodePng, type RgbaImage } from './png';

const pixels = (image: RgbaImage) => Array.from({ length: image.width * image.height }, (_, i) => Array.from(image.data.subarray(i * 4, i * 4 + 4)));

describe('app icons', () => {
  const color = drawColorIcon();
  const outline = drawOutlineIcon();

  it('draws the colour icon 192×192, fully opaque, in the partnership colour and white', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    const all = pixels(color);
    expect(all.every(([, , , a]) => a === 255)).toBe(true);
    expect(all[0]).toEqual([0x1b, 0x5e, 0x8c, 255]);
    expect(all[96 * 192 + 60]).toEqual([255, 255, 255, 255]);
  });

  it('draws the outline icon 32×32 in opaque white and fully transparent pixels only', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const all = pixels(outline);
    const white = all.filter((p) => p.join() === '255,255,255,255').length;
    const clear = all.filter(([, , , a]) => a === 0).length;
    expect(white + clear).toBe(32 * 32);
    expect(white).toBeGreaterThan(60);
    expect(clear).toBeGreaterThan(600);
  });

  it('draws the same pixels every time', () => {
    expect(encodePng(drawColorIcon()).equals(encodePng(color))).toBe(true);
    expect(encodePng(drawOutlineIcon()).equals(encodePng(outline))).toBe(true);
  });

  it('passes the package icon checks', () => {
    expect(checkIcons({ color: encodePng(color), outline: encodePng(outline) })).toEqual([]);
  });
});

describe('checkIcons', () => {
  const good = { color: encodePng(drawColorIcon()), outline: encodePng(drawOutlineIcon()) };

  it('refuses icons of the wrong size', () => {
    expect(checkIcons({ color: encodePng(drawColorIcon(96)), outline: encodePng(drawOutlineIcon(48)) })).toEqual([
      'color.png: is 96×96, must be 192×192',
      'outline.png: is 48×48, must be 32×32',
    ]);
  });

  it('refuses an outline icon with a coloured pixel, or with no transparency', () => {
    const tinted = drawOutlineIcon();
    tinted.data.set([255, 0, 0, 255], 0);
    expect(checkIcons({ ...good, outline: encodePng(tinted) })).toEqual(['outline.png: has a pixel that is neither white nor fully transparent']);
    const opaque = drawColorIcon(32);
    opaque.data.fill(255);
    expect(checkIcons({ ...good, outline: encodePng(opaque) })).toEqual(['outline.png: has no transparent pixels; must be white on transparent']);
  });

  it('refuses a file that is not a PNG', () => {
    expect(checkIcons({ ...good, color: Buffer.from('<svg/>') })).toEqual(['color.png: not a usable PNG: missing PNG signature']);
  });
});
