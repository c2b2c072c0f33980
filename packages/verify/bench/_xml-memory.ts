// Probe of xml.bench.ts, run in a fresh child Node process: one enveloped exclusive-C14N signXml or verifyXml (W3C XMLDSig 1.1 §3.1, §3.2) of the ~10 MB document, its time and the process's peak RSS.
//
// Usage: node --import tsx packages/verify/bench/_xml-memory.ts <sign|verify> <rsa|gost> <dir> [input] [output]
// <dir> holds what xml.bench.ts wrote: document.xml, <alg>-key.pem, <alg>-cert.der, <alg>-root.der and
// <alg>-eds.xml (eds-signed). `input` defaults to document.xml (sign) or <alg>-eds.xml (verify); sign
// writes the signed document to `output` when given (after the measurement). Prints one JSON line: { mode, algorithm, bytes, seconds, rssBeforeBytes,
// maxRssBytes, indication }.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPrivateKey } from '@eds/core/keys';
import { createSigner } from '@eds/core/signer';
import { signXml } from '@eds/core/xmldsig';
import { createTrustStore } from '../src/trust';
import { verifyXml } from '../src/verify-xml';

const [mode, algorithm, dir, input, output] = process.argv.slice(2);
if ((mode !== 'sign' && mode !== 'verify') || (algorithm !== 'rsa' && algorithm !== 'gost') || !dir)
  throw new Error(`_xml-memory.ts: usage <sign|verify> <rsa|gost> <dir>, got ${process.argv.slice(2).join(' ')}`);

const file = (name: string) => join(dir, name);
// Keys, certificates and modules are loaded first: from here on, growth is the document's.
const signer = createSigner({
  key: importPrivateKey(readFileSync(file(`${algorithm}-key.pem`), 'utf8')),
  certificate: new Uint8Array(readFileSync(file(`${algorithm}-cert.der`))),
});
const trust = createTrustStore(new Uint8Array(readFileSync(file(`${algorithm}-root.der`))));

const rssBeforeBytes = process.memoryUsage().rss;
const start = performance.now();
const bytes = new Uint8Array(readFileSync(file(input ?? (mode === 'sign' ? 'document.xml' : `${algorithm}-eds.xml`))));
let indication = 'SIGNED';
let signed: string | undefined;
if (mode === 'sign') {
  signed = await signXml({ document: bytes, signer });
  if (!signed.includes('SignatureValue>')) indication = 'NO SIGNATURE';
} else {
  const { report } = await verifyXml({ xml: bytes, trust, revocation: 'off' });
  indication = report.indication;
}
const seconds = (performance.now() - start) / 1000;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
if (signed !== undefined && output) writeFileSync(file(output), signed);
console.log(JSON.stringify({ mode, algorithm, bytes: bytes.length, seconds, rssBeforeBytes, maxRssBytes, indication }));
