import { expect } from '@open-wc/testing';
import { safeDownloadUrl } from '../../src/view/download.js';

describe('view/download', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  const later = new Date('2026-11-27T10:00:00Z');
  const table: [string | null, Date | null, string | null][] = [
    ['https://cdn.example/r.mp4?sig=1', later, 'https://cdn.example/r.mp4?sig=1'],
    ['https://cdn.example/r.mp4', null, 'https://cdn.example/r.mp4'],
    ['http://localhost:5173/r.mp4', later, 'http://localhost:5173/r.mp4'],
    ['http://127.0.0.1/r.mp4', later, 'http://127.0.0.1/r.mp4'],
    ['http://[::1]:8000/r.mp4', later, 'http://[::1]:8000/r.mp4'],
    ['http://cdn.example/r.mp4', later, null],
    ['http://localhost.evil.example/r.mp4', later, null],
    ['javascript:alert(1)', later, null],
    ['JAVASCRIPT:alert(1)', later, null],
    ['data:text/html,<script>alert(1)</script>', later, null],
    ['//cdn.example/r.mp4', later, null],
    ['/relative.mp4', later, null],
    ['https://cdn.example/r.mp4', new Date('2026-11-20T09:59:59Z'), null],
    ['https://cdn.example/r.mp4', new Date(now), null],
    [null, later, null],
  ];
  for (const [url, expiry, expected] of table) {
    it(`${url} (expires ${expiry?.toISOString() ?? 'never'}) → ${expected ?? 'no link'}`, () =>
      expect(safeDownloadUrl(url, expiry, now)).to.equal(expected));
  }
});
