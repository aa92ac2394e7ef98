import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import type { AppManifest } from '@microsoft/app-manifest';
import { DomainError } from '../flows';

const schemaUrlPrefix = 'https://developer.microsoft.com/json-schemas/';

/**
 * The copy of a `$schema` URL that `@microsoft/app-manifest` ships, or undefined. The library maps
 * https://developer.microsoft.com/json-schemas/… to build/json-schemas/… and falls back to fetching the
 * URL when that file is missing; we check the file first so packaging never touches the network.
 */
export function bundledSchemaPath(schemaUrl: string): string | undefined {
  if (!schemaUrl.startsWith(schemaUrlPrefix)) return undefined;
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(packageDir, 'build', 'json-schemas', ...schemaUrl.slice(schemaUrlPrefix.length).split('/'));
  return existsSync(file) ? file : undefined;
}

// The schema leaves `version` free-form; Teams' upload insists on MAJOR.MINOR.PATCH, as the schema's
// own `semver` definition spells out, so we check it here rather than learn it at upload.
const semverPattern = /^([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)$/;

/**
 * Checks a manifest against the schema its `$schema` names, offline. Returns the problems, one line
 * each (an empty list when valid), in the library's `<JSON pointer> <message>. Details: …` form.
 */
export async function validateManifest(manifest: { $schema?: string; version?: unknown }): Promise<string[]> {
  const schemaUrl = manifest.$schema;
  if (typeof schemaUrl !== 'string' || !bundledSchemaPath(schemaUrl)) {
    throw new DomainError('SG-CONFIG-INVALID', `manifest $schema must name a schema @microsoft/app-manifest bundles (got ${String(schemaUrl)})`);
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest);
  if (typeof manifest.version === 'string' && !semverPattern.test(manifest.version)) {
    errors.push(`/version must be MAJOR.MINOR.PATCH (e.g. 1.0.0), as Teams requires. Details: {"value":${JSON.stringify(manifest.version)}}`);
  }
  return errors;
}
