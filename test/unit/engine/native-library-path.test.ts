import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addonFromMaps,
  addonsFromManifest,
  LIBZMQ_VARIABLE,
  libraryCandidates,
  SYSTEM_LIBZMQ,
} from '../../../src/engine/native/library-path.js';

// Lines shaped like this machine's /proc/self/maps after `import 'zeromq'`.
const MAPS = `55d0c3a4e000-55d0c3a8e000 r--p 00000000 fe:00 1234   /usr/local/bin/node
7fa2c8100000-7fa2c8140000 r-xp 00000000 fe:00 99     /usr/lib/x86_64-linux-gnu/libc.so.6
7fa2c81a4000-7fa2c8204000 r--p 00000000 fe:00 5325789                    /work/x/node_modules/zeromq/build/linux/x64/node/glibc-127-Release/addon.node
7fa2c8204000-7fa2c8307000 r-xp 00060000 fe:00 5325789                    /work/x/node_modules/zeromq/build/linux/x64/node/glibc-127-Release/addon.node
7fa2c8400000-7fa2c8401000 rw-p 00000000 00:00 0 
7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0                          [stack]`;

test('addonFromMaps finds the zeromq addon this process has mapped', () => {
  assert.equal(addonFromMaps(MAPS), '/work/x/node_modules/zeromq/build/linux/x64/node/glibc-127-Release/addon.node');
});

test('addonFromMaps gives null when zeromq is not loaded (or the text is empty)', () => {
  assert.equal(addonFromMaps(MAPS.split('\n').slice(0, 2).join('\n')), null);
  assert.equal(addonFromMaps(''), null);
  // another package's addon.node is not zeromq's
  assert.equal(addonFromMaps('7f-7f r-xp 0 fe:00 1 /x/node_modules/other/build/Release/addon.node'), null);
});

const config = (os: string, arch: string, libc: string, abi: number) =>
  JSON.stringify({ name: '', os, arch, runtime: 'node', buildType: 'Release', abi, libc });

const MANIFEST = JSON.stringify({
  [config('linux', 'x64', 'glibc', 115)]: 'linux/x64/node/glibc-115-Release/addon.node',
  [config('linux', 'x64', 'glibc', 72)]: 'linux/x64/node/glibc-72-Release/addon.node',
  [config('win32', 'x64', 'msvc', 115)]: 'win32\\x64\\node\\msvc-115-Release\\addon.node',
  [config('linux', 'x64', 'glibc', 127)]: 'linux/x64/node/glibc-127-Release/addon.node',
  [config('linux', 'x64', 'musl', 127)]: 'linux/x64/node/musl-127-Release/addon.node',
  [config('linux', 'arm64', 'glibc', 127)]: 'linux/arm64/node/glibc-127-Release/addon.node',
  'not json': 'broken/addon.node',
});

test('addonsFromManifest lists the platform’s addons the newest ABI first, as zeromq’s loader tries them', () => {
  assert.deepEqual(addonsFromManifest(MANIFEST, { os: 'linux', arch: 'x64', libc: 'glibc' }), [
    'linux/x64/node/glibc-127-Release/addon.node',
    'linux/x64/node/glibc-115-Release/addon.node',
    'linux/x64/node/glibc-72-Release/addon.node',
  ]);
  assert.deepEqual(addonsFromManifest(MANIFEST, { os: 'linux', arch: 'x64', libc: 'musl' }), [
    'linux/x64/node/musl-127-Release/addon.node',
  ]);
  assert.deepEqual(addonsFromManifest(MANIFEST, { os: 'win32', arch: 'x64', libc: 'msvc' }), [
    'win32/x64/node/msvc-115-Release/addon.node',
  ]);
  assert.deepEqual(addonsFromManifest(MANIFEST, { os: 'freebsd', arch: 'x64', libc: 'unknown' }), []);
});

test('libraryCandidates ends with the system libzmq and names existing files only', () => {
  const candidates = libraryCandidates({});
  assert.equal(candidates.at(-1), SYSTEM_LIBZMQ);
  assert.equal(new Set(candidates).size, candidates.length);
});

test('ZMQ_BENCH_LIBZMQ names the one file to load, with no fallback that would hide a mistake', () => {
  assert.deepEqual(libraryCandidates({ [LIBZMQ_VARIABLE]: '/opt/zmq/lib/libzmq.so.5' }), ['/opt/zmq/lib/libzmq.so.5']);
  assert.notDeepEqual(libraryCandidates({ [LIBZMQ_VARIABLE]: '' }), ['']);
});
