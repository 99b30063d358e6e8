/**
 * The package model shared by every analyzer, the SBOM writers and (downstream) the vulnerability matcher.
 * Purls follow the purl spec (https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst).
 */

/** Purl types; 'generic' for a binary known by name and version only (the Node.js runtime). */
export type Ecosystem = 'deb' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'golang' | 'maven' | 'generic';

export interface PackageLocation {
  /** Absolute path inside the image. */
  path: string;
  /** 0-based index of the layer that last wrote the file, when known. */
  layer?: number;
}

export interface Package {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  purl: string;
  /** Source package where the ecosystem has one (Debian `Source:`, apk `origin`, rpm SOURCERPM). */
  sourceName?: string;
  sourceVersion?: string;
  /** Licence expressions or names as the package declares them. */
  licenses: string[];
  locations: PackageLocation[];
  arch?: string;
  /** For Go: the toolchain version of the binary; for the main module of a binary: 'main'. */
  properties?: Record<string, string>;
}

export interface OsInfo {
  /** os-release ID (debian, alpine, rhel, fedora, ubuntu, ...). */
  id: string;
  versionId?: string;
  versionCodename?: string;
  prettyName?: string;
  idLike?: string[];
}

/** The subset of the OCI image config (image-spec config.md) that analysis reads. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    ExposedPorts?: Record<string, unknown>;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}
