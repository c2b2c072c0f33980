// Interop: our C14N 1.0 / 1.1 / exclusive output against libxml2's, as run by Debian xmlsec1.
// xmlsec1 signs an HMAC template whose Reference applies [enveloped-signature, <c14n>]; its
// DigestValue (SHA-256 of libxml2's canonical bytes) must equal SHA-256 of ours.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  C14N_10,
  C14N_10_WITH_COMMENTS,
  C14N_11,
  C14N_11_WITH_COMMENTS,
  canonicalize,
  canonicalizeToString,
  EXC_C14N,
  EXC_C14N_WITH_COMMENTS,
  excludeSubtree,
} from '@eds/core/c14n';
import { base64Encode } from '@eds/core/encoding';
import { type Element, findElements, parseXml } from '@eds/core/xml';
import { COMPONENTS, requireComponent } from '@eds/test-support/components';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { arbDocument, renderDocument } from './_xml-arbitrary';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const xmlsec = requireComponent(COMPONENTS.xmlsec1);
const dir = mkdtempSync(join(tmpdir(), 'eds-c14n-'));
writeFileSync(join(dir, 'key.bin'), 'interop-hmac-key');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function signatureTemplate(uri: string, algorithm: string, prefixes?: string): string {
  const inclusive =
    prefixes === undefined
      ? ''
      : `<InclusiveNamespaces xmlns="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="${prefixes}"/>`;
  return (
    `<Signature xmlns="${DS}"><SignedInfo><CanonicalizationMethod Algorithm="${C14N_10}"/>` +
    `<SignatureMethod Algorithm="${DS}hmac-sha1"/><Reference URI="${uri}"><Transforms>` +
    `<Transform Algorithm="${DS}enveloped-signature"/><Transform Algorithm="${algorithm}">${inclusive}</Transform>` +
    `</Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue>` +
    '</Reference></SignedInfo><SignatureValue></SignatureValue></Signature>'
  );
}

/** libxml2's digest of the reference through `xmlsec1 --sign`, and its pre-digest text for messages. */
function xmlsecDigest(xml: string, extraArgs: string[] = []): { digest: string; text: string } {
  writeFileSync(join(dir, 'in.xml'), xml);
  const args = ['--sign', '--hmackey', join(dir, 'key.bin'), '--store-references', '--print-debug', ...extraArgs];
  args.push('--output', join(dir, 'out.xml'), join(dir, 'in.xml'));
  const r = spawnSync(xmlsec, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`xmlsec1 failed on ${xml}\n${r.stderr}`);
  const m = /<DigestValue>([^<]+)<\/DigestValue>/.exec(readFileSync(join(dir, 'out.xml'), 'utf8'));
  if (!m) throw new Error('no DigestValue in xmlsec1 output');
  const text =
    /== PreDigest data - start buffer:\n([\s\S]*?)\n== PreDigest data - end buffer/.exec(r.stdout)?.[1] ?? '';
  return { digest: m[1] as string, text };
}

/** Appends the template as the last child of the root element. */
function withSignature(docText: string, template: string): string {
  const end = docText.lastIndexOf('</');
  return docText.slice(0, end) + template + docText.slice(end);
}

const ALGORITHMS = [C14N_10, C14N_10_WITH_COMMENTS, C14N_11, C14N_11_WITH_COMMENTS, EXC_C14N, EXC_C14N_WITH_COMMENTS];

describe('C14N against libxml2 (xmlsec1)', () => {
  it('fixed document: every algorithm, enveloped signature excluded', () => {
    const text =
      '<?pi before?><!--before--><r xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:unused" xml:lang="en">\n' +
      '  <p:a b="2" a="&#9;1&#13;" p:c="&amp;&lt;&quot;">t&amp;&gt;&#13;<!--c--><?pi x ?></p:a>\n' +
      `  <e xmlns=""><f/></e>\n  ${signatureTemplate('#xpointer(/)', '@ALG@')}\n</r><!--after-->`;
    for (const algorithm of ALGORITHMS) {
      const xml = text.replace('@ALG@', algorithm);
      const doc = parseXml(xml);
      const [sig] = findElements(doc, DS, 'Signature');
      const ours = canonicalize(doc, { algorithm, exclude: excludeSubtree(sig as Element) });
      expect(base64Encode(sha256(ours)), algorithm).toBe(xmlsecDigest(xml).digest);
    }
  });

  it('random documents: every algorithm (whole document, comments kept by #xpointer(/))', () => {
    fc.assert(
      fc.property(arbDocument(), fc.constantFrom(...ALGORITHMS), (tree, algorithm) => {
        const xml = withSignature(renderDocument(tree), signatureTemplate('#xpointer(/)', algorithm));
        const doc = parseXml(xml);
        const [sig] = findElements(doc, DS, 'Signature');
        const options = { algorithm, exclude: excludeSubtree(sig as Element) };
        const ours = canonicalize(doc, options);
        const theirs = xmlsecDigest(xml);
        if (base64Encode(sha256(ours)) !== theirs.digest) {
          expect.fail(
            `digest differs for ${algorithm}\n${xml}\nours:   ${canonicalizeToString(doc, options)}\ntheirs: ${theirs.text}`,
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random element subtrees with inherited namespaces, xml:lang and xml:base', () => {
    fc.assert(
      fc.property(arbDocument(), fc.constantFrom(...ALGORITHMS), fc.boolean(), (tree, algorithm, list) => {
        const exclusive = algorithm.startsWith('http://www.w3.org/2001/10/');
        const prefixes = exclusive && list ? 'p #default' : undefined;
        const inner = renderDocument({ ...tree, before: [], after: [] });
        const xml =
          '<w xmlns="urn:w" xmlns:p="urn:outer" xml:lang="ru" xml:base="http://b.example/dir/x">' +
          `<v xml:space="preserve" xml:base="sub/"><t Id="target">${inner}</t></v>` +
          `${signatureTemplate("#xpointer(id('target'))", algorithm, prefixes)}</w>`;
        const doc = parseXml(xml);
        // Generated content may repeat Id values, so the target is found by name, not by the ID index.
        const [target] = findElements(doc, 'urn:w', 't') as [Element];
        const options = { algorithm, inclusivePrefixes: prefixes?.split(' ') };
        const ours = canonicalize(target, options);
        const theirs = xmlsecDigest(xml, ['--id-attr:Id', 't']);
        if (base64Encode(sha256(ours)) !== theirs.digest) {
          expect.fail(
            `digest differs for ${algorithm} ${prefixes ?? ''}\n${xml}\nours:   ${canonicalizeToString(target, options)}\ntheirs: ${theirs.text}`,
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
