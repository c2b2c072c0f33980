// Enveloped exclusive-C14N XMLDSig (W3C XMLDSig 1.1 §3.1, §3.2; Exclusive XML C14N 1.0) of a ~10 MB document: signXml and verifyXml with RSA-2048 and GOST 2012-256, against `xmlsec1 --sign/--verify` for RSA in the same run, with peak RSS of each in child processes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodePem } from '@eds/core/encoding';
import { exportPrivateKey } from '@eds/core/keys';
import { createTestCa, type KeySpec } from '@eds/core/testing';
import { runProbe } from '../../../tooling/bench/src/files.ts';
import { defineBench } from '../../../tooling/bench/src/index.ts';

const MIB = 2 ** 20;
const TARGET_SIZE = 10 * MIB;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const run = promisify(execFile);
/** Timed runs per subject (after the untimed runs of setup); the median is reported. */
const RUNS = 3;
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

type Alg = 'rsa' | 'gost';
const KEYS: Record<Alg, KeySpec> = { rsa: { type: 'rsa', bits: 2048 }, gost: { type: 'gost2012-256' } };
const TITLES: Record<Alg, string> = { rsa: 'RSA-2048 (rsa-sha256)', gost: 'GOST 2012-256 (Streebog-256)' };

// ---------------------------------------------------------------------------------------------
// The document: a registry of records with attributes, two prefixed namespaces, a default
// namespace declared on an inner element, escaped characters and Cyrillic text.

const SURNAMES = ['Иванов', 'Петрова', 'Сидоренко', 'Кузнецов', 'Смирнова', 'Попов', 'Васильева', 'Соколов'];
const NAMES = ['Александр', 'Мария', 'Дмитрий', 'Елена', 'Сергей', 'Ольга', 'Андрей', 'Татьяна'];
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function record(i: number): string {
  const amount = (((i * 7919) % 1_000_000) / 100).toFixed(2);
  return `  <reg:Record id="rec-${i}" created="2026-03-${pad((i % 28) + 1, 2)}T10:${pad(i % 60, 2)}:00+03:00" status="${i % 5 ? 'active' : 'archived'}">
    <reg:Person inn="77${pad(i, 8)}" snils="${100_000_000 + i}">
      <reg:LastName>${SURNAMES[i % 8]}</reg:LastName>
      <reg:FirstName>${NAMES[(i >> 3) % 8]}</reg:FirstName>
      <reg:MiddleName>Сергеевич</reg:MiddleName>
      <reg:BirthDate>19${50 + (i % 50)}-0${(i % 9) + 1}-1${i % 10}</reg:BirthDate>
    </reg:Person>
    <addr:Address kind="registration" region="${(i % 89) + 1}" fias="${((i * 2654435761) >>> 0).toString(16)}-4a1b-9c2d">
      <addr:City>г. Москва</addr:City>
      <addr:Street>ул. Большая Дмитровка, д. ${i % 200}, кв. ${i % 350}</addr:Street>
    </addr:Address>
    <reg:Payment amount="${amount}" currency="RUB" purpose="Оплата по договору &quot;№ ${i}&quot; &amp; акту">Назначение платежа: услуги связи за март &lt;2026&gt;, без НДС</reg:Payment>
    <Note xmlns="urn:example:note:1" lang="ru">Примечание к записи ${i}: данные проверены оператором.</Note>
  </reg:Record>
`;
}

const ROOT_OPEN =
  '<reg:Registry xmlns:reg="urn:example:registry:1" xmlns:addr="urn:example:address:1" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.1">\n';
const ROOT_CLOSE = '</reg:Registry>\n';

/** The document of about `target` bytes (UTF-8) and its record count. */
function generate(target: number): { text: string; records: number } {
  const parts = [`<?xml version="1.0" encoding="UTF-8"?>\n${ROOT_OPEN}`];
  let size = Buffer.byteLength(parts[0] as string) + ROOT_CLOSE.length;
  let records = 0;
  while (size < target) {
    const r = record(records++);
    size += Buffer.byteLength(r);
    parts.push(r);
  }
  parts.push(ROOT_CLOSE);
  return { text: parts.join(''), records };
}

/** The document with an xmlsec1 enveloped template (exclusive C14N, sha256) as the root's last child. */
function template(document: string): string {
  const signature = `<Signature xmlns="${DSIG}"><SignedInfo><CanonicalizationMethod Algorithm="${EXC_C14N}"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI=""><Transforms><Transform Algorithm="${ENVELOPED}"/><Transform Algorithm="${EXC_C14N}"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>`;
  const at = document.lastIndexOf('</reg:Registry>');
  return `${document.slice(0, at)}${signature}${document.slice(at)}`;
}

// ---------------------------------------------------------------------------------------------
// Fixture: files in a temporary directory (read by xmlsec1 and by _xml-memory.ts)

interface Fixture {
  dir: string;
  bytes: number;
  records: number;
}

let fixturePromise: Promise<Fixture> | undefined;
const fixture = () => {
  fixturePromise ??= makeFixture();
  return fixturePromise;
};

async function makeFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'eds-xml-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => join(dir, name);
  const doc = generate(TARGET_SIZE);
  writeFileSync(file('document.xml'), doc.text);
  writeFileSync(file('rsa-template.xml'), template(doc.text));
  writeFileSync(file('tiny.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n${ROOT_OPEN}${record(0)}${ROOT_CLOSE}`);
  writeFileSync(file('rsa-tiny-template.xml'), template(readFileSync(file('tiny.xml'), 'utf8')));
  for (const alg of ['rsa', 'gost'] as const) {
    const ca = await createTestCa({
      keySpec: KEYS[alg],
      profile: 'plain',
      subject: { commonName: `XML bench root ${alg}` },
    });
    const leaf = await ca.issue({ keySpec: KEYS[alg], profile: 'plain', subject: { commonName: `XML bench ${alg}` } });
    writeFileSync(file(`${alg}-key.pem`), exportPrivateKey(leaf.key, 'pem'));
    writeFileSync(file(`${alg}-cert.pem`), encodePem('CERTIFICATE', leaf.certificate));
    writeFileSync(file(`${alg}-cert.der`), leaf.certificate);
    writeFileSync(file(`${alg}-root.pem`), encodePem('CERTIFICATE', ca.certificate));
    writeFileSync(file(`${alg}-root.der`), ca.certificate);
    await probe('sign', alg, dir, ['document.xml', `${alg}-eds.xml`]);
  }
  return { dir, bytes: statSync(file('document.xml')).size, records: doc.records };
}

// ---------------------------------------------------------------------------------------------
// The subjects. eds runs in a fresh child process per operation (_xml-memory.ts): in one
// long-lived process, the third or later signXml/verifyXml of this document becomes many times
// slower (see the report), which would measure that, not one signature.

async function eds(mode: 'sign' | 'verify', alg: Alg, input?: string): Promise<Probe> {
  const p = await probe(mode, alg, (await fixture()).dir, input ? [input] : []);
  if (p.indication !== (mode === 'sign' ? 'SIGNED' : 'TOTAL_PASSED'))
    throw new Error(`_xml-memory.ts ${mode} ${alg} ${input ?? ''}: ${p.indication}`);
  return p;
}

function statOk(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
const HAVE_TIME = statOk('/usr/bin/time');

interface Timed {
  seconds: number;
  maxRssBytes?: number;
}

/** One xmlsec1 process, wall time; peak RSS through `/usr/bin/time` when present. */
async function xmlsec1(args: string[]): Promise<Timed> {
  const start = performance.now();
  const { stderr } = HAVE_TIME
    ? await run('/usr/bin/time', ['-f', 'maxrss=%M', 'xmlsec1', ...args], { maxBuffer: 64 * MIB })
    : await run('xmlsec1', args, { maxBuffer: 64 * MIB });
  const seconds = (performance.now() - start) / 1000;
  const kb = /maxrss=(\d+)/.exec(stderr)?.[1];
  return { seconds, ...(kb ? { maxRssBytes: Number(kb) * 1024 } : {}) };
}

const xmlsecSign = (f: Fixture, input = 'rsa-template.xml', output = 'rsa-xmlsec.xml') =>
  xmlsec1([
    '--sign',
    '--privkey-pem',
    `${join(f.dir, 'rsa-key.pem')},${join(f.dir, 'rsa-cert.pem')}`,
    '--output',
    join(f.dir, output),
    join(f.dir, input),
  ]);

const xmlsecVerify = (f: Fixture, input: string) =>
  xmlsec1(['--verify', '--trusted-pem', join(f.dir, 'rsa-root.pem'), '--enabled-key-data', 'x509', join(f.dir, input)]);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** RUNS fresh child processes: the median in-process seconds and the median peak RSS. */
async function timeEds(mode: 'sign' | 'verify', alg: Alg): Promise<Probe> {
  const runs: Probe[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await eds(mode, alg));
  const byTime = [...runs].sort((x, y) => x.seconds - y.seconds);
  return { ...(byTime[Math.floor(RUNS / 2)] as Probe), maxRssBytes: median(runs.map((r) => r.maxRssBytes)) };
}

async function timeXmlsec(fn: () => Promise<Timed>): Promise<Timed> {
  const runs: Timed[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await fn());
  const rss = runs.flatMap((r) => (r.maxRssBytes === undefined ? [] : [r.maxRssBytes]));
  return { seconds: median(runs.map((r) => r.seconds)), ...(rss.length ? { maxRssBytes: median(rss) } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Figures and the report

interface Probe {
  mode: string;
  algorithm: string;
  bytes: number;
  seconds: number;
  rssBeforeBytes: number;
  maxRssBytes: number;
  indication: string;
}

const figures: {
  bytes?: number;
  records?: number;
  eds: Partial<Record<`${Alg}-${'sign' | 'verify'}`, Probe>>;
  xmlsec: Partial<Record<'sign' | 'verify' | 'sign-startup' | 'verify-startup', Timed>>;
} = { eds: {}, xmlsec: {} };

const mb = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
const rate = (seconds: number) => `${((figures.bytes ?? Number.NaN) / 1e6 / seconds).toFixed(2)} MB/s`;

function ratioLine(op: 'sign' | 'verify'): string {
  const eds = figures.eds[`rsa-${op}`]?.seconds;
  const x = figures.xmlsec[op];
  const start = figures.xmlsec[`${op}-startup`];
  if (eds === undefined || !x) return `  RSA ${op}: not measured`;
  return (
    `  RSA ${op}:  eds ${(eds * 1000).toFixed(0)} ms (${rate(eds)}), xmlsec1 ${(x.seconds * 1000).toFixed(0)} ms per process ` +
    `(${rate(x.seconds)}; ~${((start?.seconds ?? Number.NaN) * 1000).toFixed(0)} ms of it start-up on a 1-record document): ` +
    `eds/xmlsec1 throughput ${(x.seconds / eds).toFixed(2)}x`
  );
}

function report(): void {
  const probes = figures.eds;
  const lines = [
    `XMLDSig enveloped, exclusive C14N, ${(figures.bytes ?? 0).toLocaleString('en-US')} bytes (${mb(figures.bytes ?? 0)}), ` +
      `${(figures.records ?? 0).toLocaleString('en-US')} records; medians of ${RUNS}:`,
    ratioLine('sign'),
    ratioLine('verify'),
    ...(['sign', 'verify'] as const).map((op) => {
      const s = figures.eds[`gost-${op}`]?.seconds;
      return `  GOST ${op}: eds ${s === undefined ? 'not measured' : `${(s * 1000).toFixed(0)} ms (${rate(s)})`}`;
    }),
    'eds times: the operation inside a fresh child Node (start-up, module loading and key import excluded).',
    'Peak RSS (whole process; eds: process.resourceUsage().maxRSS, growth over the RSS before reading the file; medians):',
    ...(['rsa-sign', 'rsa-verify', 'gost-sign', 'gost-verify'] as const).map((k) => {
      const p = probes[k];
      return p
        ? `  eds ${k.padEnd(11)} peak ${mb(p.maxRssBytes)} (+${mb(p.maxRssBytes - p.rssBeforeBytes)} over ${mb(p.rssBeforeBytes)}; ` +
            `${((p.maxRssBytes - p.rssBeforeBytes) / p.bytes).toFixed(1)}x the document)`
        : `  eds ${k}: not measured`;
    }),
    ...(['sign', 'verify'] as const).map((op) => {
      const rss = figures.xmlsec[op]?.maxRssBytes;
      return `  xmlsec1 --${op.padEnd(6)}  peak ${rss === undefined ? 'n/a (no /usr/bin/time)' : mb(rss)}`;
    }),
  ];
  console.log(`${lines.join('\n')}\n`);
  writeFileSync(
    join(root, 'bench-results', 'xml-10mb-figures.json'),
    `${JSON.stringify({ file: 'packages/verify/bench/xml.bench.ts', runs: RUNS, ...figures }, null, 2)}\n`,
  );
}

/** Runs _xml-memory.ts in a fresh child Node (with tsx) and reads its report. */
function probe(mode: 'sign' | 'verify', alg: Alg, dir: string, files: string[] = []): Promise<Probe> {
  return runProbe(join(here, '_xml-memory.ts'), [mode, alg, dir, ...files], root);
}

// ---------------------------------------------------------------------------------------------
// The benchmarks

function rsaSpec(op: 'sign' | 'verify') {
  const edsName = `eds ${op === 'sign' ? 'signXml' : 'verifyXml'} (child process)`;
  return defineBench({
    title: `XMLDSig enveloped exclusive C14N, ${op} a 10 MiB document, ${TITLES.rsa}`,
    bytesPerOp: TARGET_SIZE,
    baseline: edsName,
    // seconds per operation: every subject is timed here, RUNS times, and the median reported
    subjects: {},
    setup: async () => {
      const f = await fixture();
      figures.bytes = f.bytes;
      figures.records = f.records;
      if (op === 'sign') {
        // both sides' signatures are accepted by both sides before anything is timed
        await xmlsecSign(f);
        await xmlsecVerify(f, 'rsa-eds.xml');
        await xmlsecVerify(f, 'rsa-xmlsec.xml');
        await eds('verify', 'rsa', 'rsa-xmlsec.xml');
        await eds('verify', 'gost');
        await xmlsecSign(f, 'rsa-tiny-template.xml', 'rsa-tiny-xmlsec.xml');
        figures.xmlsec['sign-startup'] = await timeXmlsec(() =>
          xmlsecSign(f, 'rsa-tiny-template.xml', 'rsa-tiny-xmlsec.xml'),
        );
      } else {
        figures.xmlsec['verify-startup'] = await timeXmlsec(() => xmlsecVerify(f, 'rsa-tiny-xmlsec.xml'));
      }
    },
    external: {
      [edsName]: async () => {
        const p = await timeEds(op, 'rsa');
        figures.eds[`rsa-${op}`] = p;
        return 1 / p.seconds;
      },
      [`xmlsec1 --${op} (process)`]: async () => {
        const f = await fixture();
        const t = await timeXmlsec(() => (op === 'sign' ? xmlsecSign(f) : xmlsecVerify(f, 'rsa-xmlsec.xml')));
        figures.xmlsec[op] = t;
        return 1 / t.seconds;
      },
    },
  });
}

function gostSpec() {
  return defineBench({
    title: `XMLDSig enveloped exclusive C14N, sign and verify a 10 MiB document, ${TITLES.gost}`,
    bytesPerOp: TARGET_SIZE,
    baseline: 'eds signXml (child process)',
    subjects: {},
    setup: async () => {
      await fixture();
    },
    teardown: report,
    external: Object.fromEntries(
      (['sign', 'verify'] as const).map((op) => [
        `eds ${op === 'sign' ? 'signXml' : 'verifyXml'} (child process)`,
        async () => {
          const p = await timeEds(op, 'gost');
          figures.eds[`gost-${op}`] = p;
          return 1 / p.seconds;
        },
      ]),
    ),
  });
}

export default [rsaSpec('sign'), rsaSpec('verify'), gostSpec()];
