import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/evaluate/csv.js';
import { loadMovieLens, readMovies } from '../../src/evaluate/movielens.js';
import { isRerankError } from '../../src/index.js';

const dirs: string[] = [];
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'serendipity-ml-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, 'utf8');
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('parseCsv', () => {
  it('keeps commas and doubled quotes inside quoted fields', () => {
    const text = 'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n7789,"11\'09""01 - September 11 (2002)",Drama\n';
    expect(parseCsv(text)).toEqual([
      ['movieId', 'title', 'genres'],
      ['11', 'American President, The (1995)', 'Comedy|Drama|Romance'],
      ['7789', '11\'09"01 - September 11 (2002)', 'Drama'],
    ]);
  });

  it('handles CRLF line ends, a BOM, UTF-8 text, empty fields, a line break inside quotes and no final newline', () => {
    const text = '\uFEFFa,b\r\n"Misérables, Les (1995)",\r\n"two\nlines",東京物語 (1953)';
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['Misérables, Les (1995)', ''],
      ['two\nlines', '東京物語 (1953)'],
    ]);
  });

  it('rejects an unterminated quote and a stray quote with a line number', () => {
    expect(() => parseCsv('a,b\n1,"open\n', 'x.csv')).toThrow(/x\.csv: line 2: quoted field is never closed/);
    expect(() => parseCsv('a,b\n1,ab"c\n', 'x.csv')).toThrow(/line 2: a '"' inside an unquoted field/);
    expect(() => parseCsv('"a"b\n', 'x.csv')).toThrow(/after a closing quote/);
  });

  it('round-trips any table written with RFC 4180 quoting (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', ' ', '1', '|') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }), (rows) => {
        const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
        const text = rows.map((r) => r.map(quote).join(',')).join('\n');
        expect(parseCsv(text)).toEqual(rows);
      }),
    );
  });
});

describe('readMovies / loadMovieLens', () => {
  const movies = 'movieId,title,genres\r\n1,Toy Story (1995),Adventure|Animation\r\n2,"Misérables, Les (1995)",(no genres listed)\r\n3,"Quote ""Me"" (2000)",Drama\r\n';

  it('maps genres to categories and "(no genres listed)" to none', () => {
    const dir = tempDir({ 'movies.csv': movies });
    const parsed = readMovies(join(dir, 'movies.csv'));
    expect(parsed.ids).toEqual(['1', '2', '3']);
    expect(parsed.titles).toEqual(['Toy Story (1995)', 'Misérables, Les (1995)', 'Quote "Me" (2000)']);
    expect(parsed.genres).toEqual([['Adventure', 'Animation'], [], ['Drama']]);
  });

  it('orders each timeline by timestamp, equal timestamps in file order, and keeps movies missing from movies.csv', async () => {
    const ratings = [
      'userId,movieId,rating,timestamp',
      '7,3,4.0,300',
      '7,1,5.0,100',
      '9,2,3.5,50',
      '7,2,2.0,300',
      '7,99,4.5,200',
    ].join('\n');
    const data = await loadMovieLens(tempDir({ 'movies.csv': movies, 'ratings.csv': `${ratings}\n` }));
    expect(data.numRatings).toBe(5);
    expect(data.items).toEqual(['1', '2', '3', '99']);
    expect(data.genres[3]).toEqual([]);
    expect(data.timelines.map((t) => t.user)).toEqual(['7', '9']);
    const seven = data.timelines[0];
    expect(Array.from(seven?.items ?? [], (i) => data.items[i])).toEqual(['1', '99', '3', '2']);
    expect(Array.from(seven?.ratings ?? [])).toEqual([5, 4.5, 4, 2]);
  });

  it('fails with a RerankError naming the missing file or the bad line', async () => {
    const missing = tempDir({ 'movies.csv': movies });
    await expect(loadMovieLens(missing)).rejects.toSatisfy((e: unknown) => isRerankError(e, 'INVALID_ARGUMENT') && /ratings\.csv not found/.test((e as Error).message));
    const bad = tempDir({ 'movies.csv': movies, 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,four,10\n' });
    await expect(loadMovieLens(bad)).rejects.toThrow(/line 2 is not "userId,movieId,rating,timestamp"/);
    const header = tempDir({ 'movies.csv': movies, 'ratings.csv': 'user,movie\n' });
    await expect(loadMovieLens(header)).rejects.toThrow(/header must be/);
  });

  it('loads the vendored ml-latest-small completely', async () => {
    const data = await loadMovieLens(fileURLToPath(new URL('../../benchmarks/data/ml-latest-small', import.meta.url)));
    // Counts documented in the dataset's README.txt: 100836 ratings, 610 users, 9742 movies.
    expect(data.numRatings).toBe(100836);
    expect(data.timelines.length).toBe(610);
    expect(data.items.length).toBe(9742);
  });
});
