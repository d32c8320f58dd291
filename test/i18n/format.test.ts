import { expect, fixture, html } from '@open-wc/testing';
import { formatDuration, formatFileSize, formatRelative, isoDuration, languageOf } from '../../src/i18n/format.js';

describe('i18n/format', () => {
  describe('formatFileSize (SI, one decimal)', () => {
    const table: [number, string, string][] = [
      [0, 'en', '0 byte'],
      [999, 'en', '999 byte'],
      [1000, 'en', '1.0 kB'],
      [1500, 'en', '1.5 kB'],
      [562_954_240, 'en', '563.0 MB'],
      [1_234_000_000, 'en', '1.2 GB'],
      [1_234_000_000, 'de', '1,2 GB'],
      [5_600_000_000_000, 'en', '5.6 TB'],
    ];
    for (const [bytes, lang, expected] of table) {
      it(`${bytes} in ${lang} → ${expected}`, () =>
        expect(formatFileSize(bytes, lang).replace(/\s/g, ' ')).to.equal(expected));
    }
  });

  describe('isoDuration', () => {
    const table: [number, string][] = [
      [0, 'PT0S'],
      [59, 'PT59S'],
      [60, 'PT1M'],
      [1867, 'PT31M7S'],
      [3600, 'PT1H'],
      [3725, 'PT1H2M5S'],
    ];
    for (const [seconds, expected] of table)
      it(`${seconds} → ${expected}`, () => expect(isoDuration(seconds)).to.equal(expected));
  });

  describe('formatDuration', () => {
    it('names hours, minutes and seconds, leaving out zero units', () => {
      const text = formatDuration(3725, 'en');
      expect(text).to.match(/1\s*hr/);
      expect(text).to.match(/2\s*min/);
      expect(text).to.match(/5\s*sec?/);
      expect(formatDuration(1800, 'en')).to.not.match(/sec|hr/);
    });
    it('says zero seconds for zero', () => expect(formatDuration(0, 'en')).to.match(/0\s*sec?/));
    it('speaks the language', () => expect(formatDuration(125, 'de')).to.match(/Min/));
  });

  describe('formatRelative', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    const table: [string, string, string][] = [
      ['2026-11-20T09:55:00Z', 'en', '5 minutes ago'],
      ['2026-11-20T09:59:30Z', 'en', '30 seconds ago'],
      ['2026-11-27T10:00:00Z', 'en', 'in 7 days'],
      ['2026-11-20T07:00:00Z', 'fr', 'il y a 3 heures'],
    ];
    for (const [date, lang, expected] of table) {
      it(`${date} in ${lang} → ${expected}`, () =>
        expect(formatRelative(new Date(date), now, lang)).to.equal(expected));
    }
  });

  describe('languageOf', () => {
    it("takes the element's own lang", async () => {
      const el = await fixture(html`<div lang="en"><span lang="fr-CA"></span></div>`);
      expect(languageOf(el.querySelector('span')!)).to.equal('fr-CA');
    });
    it("else the closest ancestor's", async () => {
      const el = await fixture(
        html`<div lang="de">
          <p><span></span></p>
        </div>`,
      );
      expect(languageOf(el.querySelector('span')!)).to.equal('de');
    });
    it("else the document's", async () => {
      const el = await fixture(html`<span></span>`);
      const previous = document.documentElement.lang;
      document.documentElement.lang = 'ja';
      try {
        expect(languageOf(el)).to.equal('ja');
      } finally {
        document.documentElement.lang = previous;
      }
    });
    it('falls back to English for a malformed lang', async () => {
      const el = await fixture(html`<span lang="not a language!"></span>`);
      expect(languageOf(el)).to.equal('en');
    });
  });
});
