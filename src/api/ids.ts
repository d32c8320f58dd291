/**
 * What a RealtimeKit id may look like, shared by both halves. RealtimeKit's ids are UUIDs; hosts and the simulator
 * also use short slugs, so the rule is deliberately wider than a UUID but never lets a path segment escape:
 * no dots (`.` and `..` walk up a URL), no slashes, no percent signs, nothing longer than 128 characters.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The rule in words, for error messages. */
export const ID_RULE = '1 to 128 letters, digits, "-" or "_", starting with a letter or digit';

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}
