// @ts-check
/**
 * How a page of the README or docs/ prints a recipe, read the way a reader copies it: a section under its heading,
 * its files (a block whose line before is "`path`:") and its shell lines. The recipes runner makes projects from
 * it, and the docs test holds every snippet to it.
 */

/**
 * The recipe's part of a page: from its heading to the next heading of the same level or above, code fences kept
 * whole (a `#` comment inside one is no heading).
 * @param {string} text @param {string} title
 */
export function sectionOf(text, title) {
  const lines = text.split('\n');
  let fenced = false;
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^(#+) (.*)$/.exec(line);
    if (!heading) continue;
    const depth = heading[1]?.length ?? 0;
    if (start < 0 && heading[2] === title) {
      start = i;
      level = depth;
    } else if (start >= 0 && depth <= level) {
      return lines.slice(start, i).join('\n');
    }
  }
  if (start < 0) throw new Error(`no section "${title}"`);
  return lines.slice(start).join('\n');
}

/**
 * A section's files (every block headed by "`path`:") and its shell commands (the lines of every other `sh` block,
 * continuations joined, comments left out), in order.
 * @param {string} section
 */
export function recipeOf(section) {
  /** @type {{ path: string, text: string }[]} */
  const files = [];
  /** @type {string[]} */
  const commands = [];
  const lines = section.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const close = lines.findIndex((line, j) => j > i && line === '```');
    if (close < 0) throw new Error(`an unclosed code block at line ${i + 1}`);
    const body = lines.slice(i + 1, close);
    const before = lines
      .slice(0, i)
      .filter((line) => line.trim() !== '')
      .at(-1);
    const path = /^`([^`]+)`:$/.exec(before ?? '')?.[1];
    if (path !== undefined) files.push({ path, text: `${body.join('\n')}\n` });
    else if (open[1] === 'sh') {
      commands.push(
        ...body
          .join('\n')
          .replace(/\\\n/g, ' ')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'))
          // The variables printed before a command are the reader's to set: the runner sets them (the simulator's).
          .map((line) => line.replace(/^(?:[A-Z_]+=(?:\$\([^)]*\)|\S+)\s+)+/, '')),
      );
    }
    i = close;
  }
  return { files, commands };
}
