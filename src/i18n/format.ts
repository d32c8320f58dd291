/** Dates, durations, sizes and relative times in the element's language, through `Intl`. */

/**
 * Building an Intl formatter costs far more than using one, and a page of elements re-renders every second:
 * formatters (and canonical locales) are made once per language and options, and kept.
 */
const made = new Map<string, unknown>();
function memo<T>(key: string, make: () => T): T {
  if (!made.has(key)) made.set(key, make());
  return made.get(key) as T;
}

/** The element's language: its own `lang`, else the closest ancestor's, else the document's. */
export function languageOf(element: Element): string {
  // Guarded for server rendering, where the element is a shim with no tree, document or navigator.
  const owner = typeof element.closest === 'function' ? element.closest('[lang]') : null;
  // Shims may lack ownerDocument, whatever the DOM types promise.
  const documentElement = (element.ownerDocument as Partial<Document> | undefined)?.documentElement;
  // Empty lang attributes mean "unknown" and fall through, hence || rather than ??.
  /* eslint-disable @typescript-eslint/prefer-nullish-coalescing */
  const lang =
    owner?.getAttribute('lang') ||
    documentElement?.lang ||
    (typeof navigator === 'undefined' ? 'en' : navigator.language);
  /* eslint-enable @typescript-eslint/prefer-nullish-coalescing */
  return memo(`lang:${lang}`, () => {
    try {
      return Intl.getCanonicalLocales(lang)[0] ?? 'en';
    } catch {
      return 'en';
    }
  });
}

export function formatDateTime(date: Date, lang: string): string {
  return memo(`date:${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })).format(
    date,
  );
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

export function formatRelative(date: Date, now: number, lang: string): string {
  const diff = date.getTime() - now;
  const format = memo(`relative:${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  for (const [unit, ms] of RELATIVE_UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return format.format(Math.round(diff / ms), unit);
  }
  return format.format(0, 'second');
}

/** Whole seconds as an ISO 8601 duration, for `<time datetime>`. */
export function isoDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${sec || (!h && !m) ? `${sec}S` : ''}`;
}

interface DurationFormatLike {
  format(duration: Record<string, number>): string;
}
type DurationFormatCtor = new (lang: string, options: { style: string; secondsDisplay?: string }) => DurationFormatLike;

/** "1 hr, 2 min, 5 sec" where `Intl.DurationFormat` exists; each unit through NumberFormat elsewhere. */
export function formatDuration(totalSeconds: number, lang: string): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts = { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (DurationFormat) {
    const present = Object.fromEntries(
      Object.entries(parts).filter(([unit, n]) => n > 0 || (unit === 'seconds' && s === 0)),
    );
    // DurationFormat leaves out zero units, which would make zero seconds an empty string.
    return memo(
      `duration:${lang}:${s === 0}`,
      () => new DurationFormat(lang, s === 0 ? { style: 'short', secondsDisplay: 'always' } : { style: 'short' }),
    ).format(present);
  }
  const unit = (value: number, name: string) =>
    memo(
      `unit:${lang}:${name}`,
      () => new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: 'short' }),
    ).format(value);
  const out: string[] = [];
  if (parts.hours) out.push(unit(parts.hours, 'hour'));
  if (parts.minutes) out.push(unit(parts.minutes, 'minute'));
  if (parts.seconds || out.length === 0) out.push(unit(parts.seconds, 'second'));
  return out.join(' ');
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** SI units (1 kB = 1000 B), one decimal, localised. */
export function formatFileSize(bytes: number, lang: string): string {
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < SIZE_UNITS.length - 1) {
    value /= 1000;
    index++;
  }
  const unit = SIZE_UNITS[index] ?? 'byte';
  return memo(
    `size:${lang}:${unit}`,
    () =>
      new Intl.NumberFormat(lang, {
        style: 'unit',
        unit,
        unitDisplay: 'short',
        maximumFractionDigits: index === 0 ? 0 : 1,
        minimumFractionDigits: index === 0 ? 0 : 1,
      }),
  ).format(value);
}
