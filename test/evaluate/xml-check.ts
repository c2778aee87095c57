/**
 * A tiny strict XML well-formedness checker for tests (no dependencies, no regular-expression
 * "parsing"): one root element, properly nested and closed tags, quoted unique attributes, and no
 * raw `<` or unknown entity in text or attribute values. Returns the element tree.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isNameChar(ch: string, first: boolean): boolean {
  const code = ch.charCodeAt(0);
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || ch === '_' || ch === ':' || code > 127;
  return first ? letter : letter || (code >= 48 && code <= 57) || ch === '-' || ch === '.';
}

/** Parses `xml`; throws an Error describing the first well-formedness violation. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${what}`);
  };
  const decode = (raw: string): string => {
    let out = '';
    for (let j = 0; j < raw.length; j++) {
      const ch = raw[j] as string;
      const code = raw.codePointAt(j) as number;
      if ((code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
        fail(`character U+${code.toString(16)} is not allowed in XML 1.0`);
      }
      if (code > 0xffff) {
        out += String.fromCodePoint(code);
        j++;
        continue;
      }
      if (ch === '<') fail('raw "<" in text or attribute');
      if (ch !== '&') {
        out += ch;
        continue;
      }
      const end = raw.indexOf(';', j);
      if (end < 0) fail('unterminated entity');
      const name = raw.slice(j + 1, end);
      if (name.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      else if (name.startsWith('#')) out += String.fromCodePoint(Number.parseInt(name.slice(1), 10));
      else if (ENTITIES[name] !== undefined) out += ENTITIES[name];
      else fail(`unknown entity &${name};`);
      j = end;
    }
    return out;
  };
  const skipSpace = (): void => {
    while (i < xml.length && ' \t\r\n'.includes(xml[i] as string)) i++;
  };
  const readName = (): string => {
    const start = i;
    if (!isNameChar(xml[i] ?? '', true)) fail('expected a name');
    while (i < xml.length && isNameChar(xml[i] as string, false)) i++;
    return xml.slice(start, i);
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (raw.trim() !== '') fail('text outside the root element');
      } else {
        top.text += decode(raw);
      }
      i = next < 0 ? xml.length : next;
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml[i + 1] === '/') {
      i += 2;
      const name = readName();
      skipSpace();
      if (xml[i] !== '>') fail('expected ">"');
      i++;
      const open = stack.pop();
      if (open?.name !== name) fail(`closing </${name}> does not match <${open?.name ?? '(none)'}>`);
      continue;
    }
    i++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = ' \t\r\n'.includes(xml[i] ?? '');
      skipSpace();
      if (xml[i] === '>' || xml.startsWith('/>', i)) break;
      if (!hadSpace) fail('attributes must be separated by white space');
      const attribute = readName();
      skipSpace();
      if (xml[i] !== '=') fail(`attribute ${attribute} needs "="`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attribute} value must be quoted`);
      const end = xml.indexOf(quote as string, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (Object.hasOwn(attributes, attribute)) fail(`duplicate attribute ${attribute}`);
      attributes[attribute] = decode(xml.slice(i + 1, end));
      i = end + 1;
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (root !== undefined) fail('more than one root element');
      root = element;
    } else {
      parent.children.push(element);
    }
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i++;
      stack.push(element);
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (root === undefined) fail('no root element');
  return root as XmlElement;
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
