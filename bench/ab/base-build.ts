import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The base of bench/ab.ts: a git ref checked out into a temporary worktree (detached, so no
 * branch is touched), with this repository's node_modules linked in (same dependencies, no
 * install) and built there by its own `npm run build` (tsc, and the report's chart bundle
 * that `run` needs to write report.html). `dispose` removes the worktree; it is safe to call
 * twice, and from a signal handler (synchronous).
 */
export interface BaseBuild {
  ref: string;
  commit: string;
  /** the worktree: the base's own dist/ is in it */
  root: string;
  dispose(): void;
}

function git(root: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${(r.stderr || r.stdout || `exit ${r.status}`).trim()}`);
  return r.stdout.trim();
}

/** The commit a ref names; throws with git's message when it names none. */
export function commitOf(root: string, ref: string): string {
  return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
}

/** Whether the checkout at `root` differs from its HEAD (tracked files only). */
export function hasUncommittedChanges(root: string): boolean {
  return git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
}

export function buildBase(root: string, ref: string, log: (s: string) => void): BaseBuild {
  let commit: string;
  try {
    commit = commitOf(root, ref);
  } catch {
    throw new Error(`--base ${ref} names no commit of this repository`);
  }
  const parent = mkdtempSync(join(tmpdir(), 'zmq-bench-ab-'));
  const dir = join(parent, 'base');
  let added = false;
  const dispose = () => {
    if (added) {
      added = false;
      // --force: the worktree holds the untracked dist/ and node_modules link.
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
      spawnSync('git', ['worktree', 'prune'], { cwd: root, stdio: 'ignore' });
    }
    rmSync(parent, { recursive: true, force: true });
  };
  try {
    git(root, ['worktree', 'add', '--detach', dir, commit]);
    added = true;
    symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');
    log(`building the base ${ref} (${commit.slice(0, 10)}) in ${dir}…`);
    const build = spawnSync('npm', ['run', 'build'], { cwd: dir, encoding: 'utf8' });
    if (build.status !== 0)
      throw new Error(`the base's build failed (exit ${build.status}): ${`${build.stdout}${build.stderr}`.trim().slice(-2000)}`);
    return { ref, commit, root: dir, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
