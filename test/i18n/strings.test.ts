import { expect } from '@open-wc/testing';
import { defaultStrings, fill, resolveStrings } from '../../src/i18n/strings.js';

describe('i18n/strings', () => {
  it('resolves to the full default table without overrides', () => {
    expect(resolveStrings(null)).to.deep.equal(defaultStrings);
  });
  it('merges overrides and keeps every other key', () => {
    const table = resolveStrings({ stepUploaded: 'Prêt', retryNow: 'Réessayer' });
    expect(table.stepUploaded).to.equal('Prêt');
    expect(table.retryNow).to.equal('Réessayer');
    expect(table.stepInvoked).to.equal(defaultStrings.stepInvoked);
    expect(Object.keys(table)).to.have.members(Object.keys(defaultStrings));
  });
  it('ignores unknown keys and non-string values', () => {
    const table = resolveStrings({ nope: 'x', stepInvoked: 42 });
    expect(table).to.not.have.property('nope');
    expect(table.stepInvoked).to.equal(defaultStrings.stepInvoked);
  });
  const table: [string, Record<string, string>, string][] = [
    ['{label} recording: {status}', { label: 'Weekly', status: 'ready' }, 'Weekly recording: ready'],
    ['{problem}, retrying in {time}.', { problem: 'Lost', time: '8 s' }, 'Lost, retrying in 8 s.'],
    ['{missing} stays', {}, '{missing} stays'],
    ['{a}{a}', { a: '<b>' }, '<b><b>'],
  ];
  for (const [template, values, expected] of table) {
    it(`fill(${JSON.stringify(template)}) → ${JSON.stringify(expected)}`, () =>
      expect(fill(template, values)).to.equal(expected));
  }
});
