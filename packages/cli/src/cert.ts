// `eds cert`: describes whatever it is given — certificate, chain bundle or .p7b, CRL, CSR, key, OCSP response, PFX.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { parseCrl } from '@eds/core/crl';
import { parseCsr } from '@eds/core/csr';
import { type DetectedObject, detect } from '@eds/core/detect';
import { hexEncode } from '@eds/core/encoding';
import { parsePrivateKey, parsePublicKey } from '@eds/core/keys';
import { parseOcspResponse } from '@eds/core/ocsp';
import { parsePkcs12 } from '@eds/core/pkcs12';
import type { PublicKey } from '@eds/core/types';
import { parseCertificates } from '@eds/core/x509';
import { type CliIo, readPassword, UsageError } from './_cli';

export const CERT_USAGE = `  cert <file> [--password-env VAR] [--json] [--lang ru|en]
                                                      describe a certificate, bundle, CRL, CSR, key or PFX`;

type Lang = 'ru' | 'en';
/** One described object: a title line and its text, or its JSON. */
interface Shown {
  kind: string;
  text: string;
  json: unknown;
}

const TITLES: Record<Lang, Record<string, string>> = {
  en: { key: 'Private key', pub: 'Public key', csr: 'Certificate request', pfx: 'PKCS#12 file', sig: 'Signature' },
  ru: { key: 'Закрытый ключ', pub: 'Открытый ключ', csr: 'Запрос на сертификат', pfx: 'Файл PKCS#12', sig: 'Подпись' },
};

function keyJson(key: PublicKey) {
  return {
    type: key.type,
    bits: key.bits,
    curve: key.curveOid,
    digestParamSet: key.digestParamOid,
    spki: hexEncode(key.spki),
  };
}

function keyText(key: PublicKey, lang: Lang): string {
  const curve = key.curveOid ? (lang === 'ru' ? `, параметры ${key.curveOid}` : `, parameters ${key.curveOid}`) : '';
  return `${key.type}, ${key.bits} ${lang === 'ru' ? 'бит' : 'bits'}${curve}`;
}

async function describeCsr(der: Uint8Array, lang: Lang): Promise<Shown> {
  const csr = parseCsr(der);
  const valid = await csr.verify(allAlgorithms);
  const T = TITLES[lang];
  const lines = [
    `${T.csr}`,
    `  ${lang === 'ru' ? 'Субъект' : 'Subject'}: ${csr.subject.toString()}`,
    `  ${T.pub}: ${keyText(csr.publicKey, lang)}`,
    ...csr.extensions.map(
      (e) => `  ${lang === 'ru' ? 'Расширение' : 'Extension'} ${e.oid}${e.critical ? ' (critical)' : ''}`,
    ),
    `  ${T.sig}: ${valid ? (lang === 'ru' ? 'верна' : 'valid') : lang === 'ru' ? 'НЕВЕРНА' : 'INVALID'}`,
  ];
  const json = {
    subject: csr.subject.toString(),
    publicKey: keyJson(csr.publicKey),
    extensions: csr.extensions.map((e) => e.oid),
    signatureValid: valid,
  };
  return { kind: 'csr', text: lines.join('\n'), json };
}

async function describePfx(der: Uint8Array, io: CliIo, file: string, envName: string | undefined, lang: Lang) {
  const contents = await parsePkcs12(der, await readPassword(io, envName, file));
  const keys = contents.keys.map((k) => parsePrivateKey(k.pkcs8).publicKey);
  const certs = contents.certificates.flatMap((c) => parseCertificates(c.der));
  const head = `${TITLES[lang].pfx} (${contents.dialect}${contents.mac ? `, MAC ${contents.mac.algorithm}` : ''})`;
  const shown: Shown[] = [
    {
      kind: 'pkcs12',
      text: [head, ...keys.map((k) => `  ${TITLES[lang].key}: ${keyText(k, lang)}`)].join('\n'),
      json: { dialect: contents.dialect, mac: contents.mac, keys: keys.map(keyJson) },
    },
  ];
  for (const c of certs) shown.push({ kind: 'certificate', text: c.describe(lang), json: c.toJSON() });
  return shown;
}

async function describeObject(o: DetectedObject, io: CliIo, file: string, env: string | undefined, lang: Lang) {
  const one = (kind: string, text: string, json: unknown): Shown[] => [{ kind, text, json }];
  switch (o.kind) {
    case 'certificate':
    case 'cms-certificates':
      return parseCertificates(o.der).map((c) => ({ kind: 'certificate', text: c.describe(lang), json: c.toJSON() }));
    case 'crl': {
      const crl = parseCrl(o.der);
      return one('crl', crl.describe(lang), crl.toJSON());
    }
    case 'ocsp-response': {
      const r = parseOcspResponse(o.der);
      return one('ocsp-response', r.describe(lang), r.toJSON());
    }
    case 'csr':
      return [await describeCsr(o.der, lang)];
    case 'pkcs12':
      return describePfx(o.der, io, file, env, lang);
    case 'public-key': {
      const key = parsePublicKey(o.der);
      return one('public-key', `${TITLES[lang].pub}: ${keyText(key, lang)}`, keyJson(key));
    }
    case 'private-key': {
      // Only the public half is shown; the secret never reaches the terminal.
      const key = parsePrivateKey(o.der).publicKey;
      return one('private-key', `${TITLES[lang].key}: ${keyText(key, lang)}`, { publicKey: keyJson(key) });
    }
    default:
      return one(
        o.kind,
        `${o.kind}: ${lang === 'ru' ? 'не сертификат; используйте eds verify' : 'not a certificate; try eds verify'}`,
        {
          kind: o.kind,
        },
      );
  }
}

/** Runs `eds cert`: exit 0 when everything was described, 1 when the file could not be read. */
export async function certCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      'password-env': { type: 'string' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'en' },
    },
    allowPositionals: true,
  });
  const lang = values.lang;
  if (lang !== 'ru' && lang !== 'en') throw new UsageError(`--lang must be ru or en, not ${lang}`);
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError('cert takes exactly one file');
  const { objects } = detect(new Uint8Array(await readFile(file)));
  const shown: Shown[] = [];
  for (const o of objects) shown.push(...(await describeObject(o, io, file, values['password-env'], lang)));
  if (values.json)
    io.stdout(
      `${JSON.stringify(
        shown.map((s) => ({ kind: s.kind, ...(s.json as object) })),
        null,
        2,
      )}\n`,
    );
  else io.stdout(`${shown.map((s) => s.text).join('\n\n')}\n`);
  return 0;
}
