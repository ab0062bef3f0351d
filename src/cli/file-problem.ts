/** Why a file named on the command line cannot be read, for a message: "no such file or directory", "permission denied", or the error's own text. */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
}
