import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * A path with every symlink resolved, in the longest leading part that exists (the rest, not
 * yet created, as written): where reading or writing it would really go. What a service
 * checks a local path against (dq's allowed roots, a scope's directories) is resolved the same way.
 */
export function realPath(p: string): string {
  let head = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.resolve(p);
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}
