export { buildManifest, manifestVersion, manifestSchemaUrl, teamsPaths, iconFiles, type TeamsManifest } from './buildManifest';
export { loadTeamsAppConfig, teamsAppConfigSchema, uuidV5, type TeamsAppConfig } from './teamsAppConfig';
export { validateManifest, bundledSchemaPath } from './validateManifest';
export { checkIcons, iconRules } from './checkIcons';
export { accentColor, drawColorIcon, drawOutlineIcon } from './icons';
export { encodePng, decodePng, type RgbaImage, type DecodedPng } from './png';
export { createZip, readZip, type ZipEntry } from './zip';
export { crc32 } from './crc32';
export { assemblePackage, packageTeamsApp, packageFileName, ManifestInvalidError, main as packageTeamsAppMain, type PackageOptions, type PackageResult } from './packageTeamsApp';
