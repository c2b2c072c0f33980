// fast-check generator of namespace-well-formed XML documents for the C14N property and interop tests.
import fc from 'fast-check';

export type XNode =
  | {
      kind: 'el';
      prefix: string;
      local: string;
      decls: [string, string][];
      attrs: [string, string][];
      children: XNode[];
    }
  | { kind: 'text'; value: string }
  | { kind: 'comment'; value: string }
  | { kind: 'pi'; target: string; data: string };

const textChar = fc.constantFrom('a', 'b', ' ', '&', '<', '>', '"', "'", '\r', '\n', '\t', '\u0436', '\u{1F600}', ']');
const safeChar = fc.constantFrom('a', 'b', ' ', '\u0436', '-', '\n');
// ASCII absolute URIs without '&': libxml2's C14N (the interop oracle) refuses IRIs and relative URIs,
// and writes '&' in a namespace URI as &#38; where C14N 1.0 §2.3 says &amp;.
const uri = fc.constantFrom('urn:1', 'urn:2', 'http://e.org/a?b=c');

const decls = fc.uniqueArray(
  fc.oneof(fc.tuple(fc.constantFrom('p', 'q', ''), uri), fc.constant<[string, string]>(['', ''])),
  { maxLength: 3, selector: (d) => d[0] },
);
const attrs = fc.uniqueArray(
  fc.tuple(
    fc.constantFrom('a', 'b', 'Id', 'p:c', 'q:d', 'xml:lang', 'xml:space'),
    fc.string({ unit: textChar, maxLength: 6 }),
  ),
  { maxLength: 4, selector: (a) => a[0] },
);

const leaf: fc.Arbitrary<XNode> = fc.oneof(
  fc.string({ unit: textChar, minLength: 1, maxLength: 8 }).map((value) => ({ kind: 'text' as const, value })),
  fc
    .string({ unit: safeChar, maxLength: 6 })
    .map((value) => ({ kind: 'comment' as const, value: value.replace(/-+/g, '-').replace(/-$/, '') })),
  fc
    .tuple(fc.constantFrom('pi', 'tgt'), fc.string({ unit: safeChar, maxLength: 5 }))
    .map(([target, data]) => ({ kind: 'pi' as const, target, data: data.trimStart() })),
);

const { element } = fc.letrec((tie) => ({
  element: fc.record({
    kind: fc.constant('el' as const),
    prefix: fc.constantFrom('', '', 'p', 'q'),
    local: fc.constantFrom('x', 'y', 'z'),
    decls,
    attrs,
    children: fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('element')), { maxLength: 4 }),
  }),
}));

/** A random document: comments/PIs around one root element. */
export function arbDocument(): fc.Arbitrary<{ before: XNode[]; root: XNode; after: XNode[] }> {
  const outside = fc.array(
    leaf.filter((n) => n.kind !== 'text'),
    { maxLength: 2 },
  );
  return fc.record({ before: outside, root: element as fc.Arbitrary<XNode>, after: outside });
}

const escText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const escAttr = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');

function shuffle<T>(items: T[], seed: number | undefined): T[] {
  if (seed === undefined) return items;
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function renderNode(n: XNode, scope: ReadonlyMap<string, string>, seed: number | undefined, out: string[]): void {
  if (n.kind === 'text') out.push(escText(n.value));
  else if (n.kind === 'comment') out.push(`<!--${n.value}-->`);
  else if (n.kind === 'pi') out.push(n.data ? `<?${n.target} ${n.data}?>` : `<?${n.target}?>`);
  else renderElement(n, scope, seed, out);
}

function renderElement(
  n: Extract<XNode, { kind: 'el' }>,
  scope: ReadonlyMap<string, string>,
  seed: number | undefined,
  out: string[],
): void {
  const own = new Map(n.decls);
  const inner = new Map(scope);
  for (const [p, u] of own) inner.set(p, u);
  // Declare what the element and its attributes use but nobody declared (a prefix must be bound).
  const need = [n.prefix, ...n.attrs.map(([name]) => (name.includes(':') ? (name.split(':')[0] as string) : ''))];
  for (const p of need) {
    if (p === '' || p === 'xml' || (inner.get(p) ?? '') !== '') continue;
    own.set(p, 'urn:auto');
    inner.set(p, 'urn:auto');
  }
  const name = n.prefix ? `${n.prefix}:${n.local}` : n.local;
  const parts = [
    ...[...own].map(([p, u]) => `${p ? `xmlns:${p}` : 'xmlns'}="${escAttr(u)}"`),
    ...n.attrs.map(([k, v]) => `${k}="${escAttr(v)}"`),
  ];
  out.push(`<${name}`, ...shuffle(parts, seed).map((p) => ` ${p}`), '>');
  for (const c of n.children) renderNode(c, inner, seed, out);
  out.push(`</${name}>`);
}

/** XML text of a generated document; a seed shuffles attribute and declaration order. */
export function renderDocument(doc: { before: XNode[]; root: XNode; after: XNode[] }, seed?: number): string {
  const out: string[] = [];
  for (const n of doc.before) renderNode(n, new Map(), seed, out);
  renderNode(doc.root, new Map(), seed, out);
  for (const n of doc.after) renderNode(n, new Map(), seed, out);
  return out.join('');
}
