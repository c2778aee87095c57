/**
 * Quickstart: re-rank a small real list (MovieLens titles and genres) with several strategies and
 * print why each item landed where it did. Run: `npm run example`.
 *
 * The relevance scores stand in for a base recommender's output for a user who watched two
 * sci-fi action films; embeddings are the films' multi-hot genre vectors.
 */
import { type Candidate, dpp, mmr, rerank, relevance, type Reranker, unexpectednessBlend, xquad } from '../src/index.js';

const GENRES = ['Action', 'Adventure', 'Animation', 'Comedy', 'Crime', 'Drama', 'Fantasy', 'Romance', 'Sci-Fi', 'Thriller'];

const movie = (id: string, title: string, genres: string, score: number): Candidate & { title: string } => {
  const categories = genres.split('|');
  return {
    id,
    title,
    relevance: score,
    categories,
    embedding: GENRES.map((genre) => (categories.includes(genre) ? 1 : 0)),
  };
};

const candidates = [
  movie('1274', 'Akira (1988)', 'Action|Adventure|Animation|Sci-Fi', 0.95),
  movie('2959', 'Fight Club (1999)', 'Action|Crime|Drama|Thriller', 0.91),
  movie('4993', 'The Lord of the Rings: The Fellowship of the Ring (2001)', 'Adventure|Fantasy', 0.88),
  movie('1089', 'Reservoir Dogs (1992)', 'Crime|Thriller', 0.84),
  movie('7099', 'Nausicaä of the Valley of the Wind (1984)', 'Adventure|Animation|Drama|Fantasy|Sci-Fi', 0.8),
  movie('1197', 'The Princess Bride (1987)', 'Action|Adventure|Comedy|Fantasy|Romance', 0.74),
  movie('318', 'The Shawshank Redemption (1994)', 'Crime|Drama', 0.72),
  movie('1682', 'The Truman Show (1998)', 'Comedy|Drama|Sci-Fi', 0.66),
  movie('6711', 'Lost in Translation (2003)', 'Comedy|Drama|Romance', 0.58),
  movie('5618', 'Spirited Away (2001)', 'Adventure|Animation|Fantasy', 0.55),
];
const titleOf = new Map(candidates.map((c) => [c.id, c.title]));

const user = {
  id: 'user-1',
  history: [
    movie('260', 'Star Wars: Episode IV (1977)', 'Action|Adventure|Sci-Fi', 0),
    movie('2571', 'The Matrix (1999)', 'Action|Sci-Fi|Thriller', 0),
  ],
};

const strategies: Reranker[] = [
  relevance(),
  mmr({ lambda: 0.6 }),
  dpp({ theta: 0.7 }),
  xquad({ lambda: 0.5 }),
  unexpectednessBlend({ weight: 0.3 }),
];

/** Three decimals, without a minus sign on values that round to zero (`-0.000` reads like a bug). */
const fixed = (value: number): string => {
  const text = value.toFixed(3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
};

for (const strategy of strategies) {
  const { items } = rerank({ candidates, user, k: 5, strategy });
  console.log(`\n${strategy.name}`);
  for (const item of items) {
    const parts = Object.entries(item.parts)
      .map(([name, value]) => `${name} ${fixed(value)}`)
      .join(', ');
    console.log(`  ${item.rank}. ${titleOf.get(item.id)} — relevance ${item.relevance.toFixed(2)}; score ${fixed(item.score)} (${parts})`);
  }
}
