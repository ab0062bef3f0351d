/** A URL as it may be printed or stored for people: its user and password left out. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
