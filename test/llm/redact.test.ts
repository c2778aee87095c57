import { describe, expect, it } from 'vitest';
import { cutText, REDACTED, secretRedactor, stripUrlCredentials, urlSecrets } from '../../src/llm/redact.js';

describe('stripUrlCredentials', () => {
  it('removes user:password@ from every URL in a text, keeping scheme, host and path', () => {
    expect(stripUrlCredentials('GET http://u:p@host/v1 then https://alice@h2:8080/x?y=1 failed')).toBe(
      `GET http://${REDACTED}@host/v1 then https://${REDACTED}@h2:8080/x?y=1 failed`,
    );
    expect(stripUrlCredentials('mailto a@b.c and http://host/p@q')).toBe('mailto a@b.c and http://host/p@q');
  });
});

describe('secretRedactor', () => {
  it('redacts each secret literally, longest first, so an overlapping shorter one leaves no tail', () => {
    const redact = secretRedactor(['abcd', 'abcdefgh', undefined]);
    expect(redact('xxabcdefghxx abcd')).toBe(`xx${REDACTED}xx ${REDACTED}`);
    expect(secretRedactor(['abcdefgh', 'abcd'])('xxabcdefghxx')).toBe(`xx${REDACTED}xx`);
  });

  it('ignores secrets shorter than 4 characters, which would shred ordinary text', () => {
    expect(secretRedactor(['abc', ''])('abc abcd')).toBe('abc abcd');
    expect(secretRedactor(['abcd'])('abc abcd')).toBe(`abc ${REDACTED}`);
  });

  it('also strips URL credentials', () => {
    expect(secretRedactor([])('see http://bob:x@h/')).toBe(`see http://${REDACTED}@h/`);
  });
});

describe('cutText', () => {
  it('keeps text up to maxChars, and marks a cut with the original length', () => {
    expect(cutText('abc', 3)).toBe('abc');
    expect(cutText('abcd', 3)).toBe('abc… (4 chars)');
  });
});

describe('urlSecrets', () => {
  it('returns user name and password, raw and percent-decoded when different', () => {
    expect(urlSecrets('http://al%40ice:p%3Ass@host/v1')).toEqual(['al%40ice', 'al@ice', 'p%3Ass', 'p:ss']);
    expect(urlSecrets('http://:onlypass@host/')).toEqual(['onlypass']);
    expect(urlSecrets('http://user@host/')).toEqual(['user']);
  });

  it('returns nothing for a URL without credentials or an unparsable one', () => {
    expect(urlSecrets('http://host/v1')).toEqual([]);
    expect(urlSecrets('not a url')).toEqual([]);
  });

  it('keeps the raw form when percent-decoding fails', () => {
    expect(urlSecrets('http://u:%E0%A4%A@host/')).toEqual(['u', '%E0%A4%A']);
  });
});
