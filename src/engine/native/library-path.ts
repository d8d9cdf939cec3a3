import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

/**
 * Where libzmq is, for the native engine. The zeromq package's prebuilt addon.node exports
 * libzmq's C API; loading the very file zeromq.js loaded makes both engines share one libzmq.
 * Which file that is depends on the machine (here glibc-127: the glibc-115 build needs
 * GLIBC_2.38), so the order is: the addon this process has loaded already (/proc/self/maps),
 * then the addons zeromq's manifest lists for this platform in zeromq's own order (the newest
 * ABI first), then a system libzmq. ZMQ_BENCH_LIBZMQ names one file instead of all of them
 * (a libzmq of your own build, or the system's to compare with C programs linked against it).
 */

/** The environment variable that names the one libzmq file to load. */
export const LIBZMQ_VARIABLE = 'ZMQ_BENCH_LIBZMQ';

/** A system libzmq, the last resort (named in the environment block when used). */
export const SYSTEM_LIBZMQ = process.platform === 'darwin' ? 'libzmq.5.dylib' : 'libzmq.so.5';

/** The zeromq addon already mapped into this process, from /proc/self/maps text; null when none is. */
export function addonFromMaps(maps: string): string | null {
  for (const line of maps.split('\n')) {
    const path = line.slice(line.indexOf('/')).trim();
    if (line.includes('/') && /\/zeromq\/build\/.+\/addon\.node$/.test(path)) return path;
  }
  return null;
}

export interface Platform {
  os: string;
  arch: string;
  libc: string;
}

interface ManifestConfig {
  os?: string;
  arch?: string;
  libc?: string;
  abi?: number;
}

/**
 * The addon files zeromq's build/manifest.json lists for a platform, the newest ABI first (the
 * order in which zeromq's loader, cmake-ts, tries them). Paths are relative to the build folder.
 */
export function addonsFromManifest(manifestJson: string, platform: Platform): string[] {
  const manifest = JSON.parse(manifestJson) as Record<string, string>;
  const fits: Array<{ abi: number; path: string }> = [];
  for (const [key, path] of Object.entries(manifest)) {
    let config: ManifestConfig;
    try {
      config = JSON.parse(key) as ManifestConfig;
    } catch {
      continue;
    }
    if (config.os === platform.os && config.arch === platform.arch && config.libc === platform.libc) {
      fits.push({ abi: config.abi ?? 0, path: path.replaceAll('\\', '/') });
    }
  }
  return fits.sort((a, b) => b.abi - a.abi).map((f) => f.path);
}

/** This process's platform as cmake-ts names it. */
export function currentPlatform(): Platform {
  const os = process.platform;
  const libc =
    os === 'linux'
      ? existsSync('/etc/alpine-release')
        ? 'musl'
        : 'glibc'
      : os === 'darwin'
        ? 'libc'
        : os === 'win32'
          ? 'msvc'
          : 'unknown';
  return { os, arch: process.arch, libc };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The zeromq package's build folder, or null when the package is not installed. */
function zeromqBuildFolder(): string | null {
  try {
    return resolve(dirname(createRequire(import.meta.url).resolve('zeromq/package.json')), 'build');
  } catch {
    return null;
  }
}

/** The files to try, best first, without duplicates. */
export function libraryCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const chosen = env[LIBZMQ_VARIABLE];
  if (chosen !== undefined && chosen !== '') return [chosen];
  const found: string[] = [];
  const loaded = addonFromMaps(readOrNull('/proc/self/maps') ?? '');
  if (loaded) found.push(loaded);
  const build = zeromqBuildFolder();
  const manifest = build ? readOrNull(resolve(build, 'manifest.json')) : null;
  if (build && manifest) {
    try {
      for (const path of addonsFromManifest(manifest, currentPlatform())) found.push(resolve(build, path));
    } catch {
      // an unreadable manifest leaves the system library
    }
  }
  found.push(SYSTEM_LIBZMQ);
  return [...new Set(found)].filter((p) => p === SYSTEM_LIBZMQ || existsSync(p));
}
