import { isDomainError } from '../flows';
import { decodePng, type DecodedPng } from './png';

/** What Teams requires of each icon (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package). */
export const iconRules = {
  color: { size: 192 },
  outline: { size: 32 },
} as const;

function decode(label: string, png: Buffer): DecodedPng | string {
  try {
    return decodePng(png);
  } catch (error) {
    return `${label}: ${isDomainError(error) ? error.detail : 'not a PNG'}`;
  }
}

function sizeProblem(label: string, image: DecodedPng, size: number): string[] {
  return image.width === size && image.height === size ? [] : [`${label}: is ${image.width}×${image.height}, must be ${size}×${size}`];
}

// Teams tints the outline icon with the theme colour, so any pixel that is not white (or fully
// transparent) shows up as a smudge.
function outlineProblems(label: string, image: DecodedPng): string[] {
  if (image.colorType !== 6) return [`${label}: has no alpha channel; must be white on transparent`];
  let opaque = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [r, g, b, a] = image.data.subarray(i, i + 4);
    if (a === 0) continue;
    if (r !== 255 || g !== 255 || b !== 255) return [`${label}: has a pixel that is neither white nor fully transparent`];
    opaque += 1;
  }
  if (opaque === 0) return [`${label}: is fully transparent`];
  if (opaque === image.data.length / 4) return [`${label}: has no transparent pixels; must be white on transparent`];
  return [];
}

/** Problems with the two icons, one line each; empty when both are fit for the package. */
export function checkIcons(icons: { color: Buffer; outline: Buffer }): string[] {
  const color = decode('color.png', icons.color);
  const outline = decode('outline.png', icons.outline);
  return [
    ...(typeof color === 'string' ? [color] : sizeProblem('color.png', color, iconRules.color.size)),
    ...(typeof outline === 'string' ? [outline] : [...sizeProblem('outline.png', outline, iconRules.outline.size), ...outlineProblems('outline.png', outline)]),
  ];
}
