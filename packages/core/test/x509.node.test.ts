// X.509 view against OpenSSL: NIST PKITS certificates rendered in `openssl x509 -text` form, names, dates, fingerprints, a GOST qualified-style certificate made by OpenSSL.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneralName } from '@eds/core/extensions';
import type { Name } from '@eds/core/name';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { resolveVector } from '@eds/test-support/vectors';
import { describe, expect, it } from 'vitest';
import { compareName } from './_openssl-text';

// 20 PKITS certificates covering name constraints (DN, RFC 822, DNS, URI), policies with CPS
// and user-notice qualifiers, policy mappings, policy constraints, inhibitAnyPolicy, pathLen,
// key usage variants, subjectAltName, AKI/SKI.
const SAMPLE = [
  'nameConstraintsDN1CACert.crt',
  'nameConstraintsDN3CACert.crt',
  'nameConstraintsDN5CACert.crt',
  'nameConstraintsRFC822CA1Cert.crt',
  'nameConstraintsDNS2CACert.crt',
  'nameConstraintsURI1CACert.crt',
  'CPSPointerQualifierTest20EE.crt',
  'UserNoticeQualifierTest15EE.crt',
  'UserNoticeQualifierTest19EE.crt',
  'MappingFromanyPolicyCACert.crt',
  'P1Mapping1to234CACert.crt',
  'requireExplicitPolicy4CACert.crt',
  'inhibitPolicyMapping1P12CACert.crt',
  'inhibitAnyPolicy0CACert.crt',
  'pathLenConstraint6CACert.crt',
  'keyUsageNotCriticalkeyCertSignFalseCACert.crt',
  'basicConstraintsNotCriticalcAFalseCACert.crt',
  'ValidRFC822nameConstraintsTest21EE.crt',
  'ValidDNSnameConstraintsTest30EE.crt',
  'ValidURInameConstraintsTest34EE.crt',
];

const KU: Record<string, string> = {
  digitalSignature: 'Digital Signature',
  nonRepudiation: 'Non Repudiation',
  keyEncipherment: 'Key Encipherment',
  dataEncipherment: 'Data Encipherment',
  keyAgreement: 'Key Agreement',
  keyCertSign: 'Certificate Sign',
  cRLSign: 'CRL Sign',
  encipherOnly: 'Encipher Only',
  decipherOnly: 'Decipher Only',
};
const SHORT: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.8': 'ST',
  '2.5.4.7': 'L',
};
const colonHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':');
const policy = (oid: string) => (oid === '2.5.29.32.0' ? 'X509v3 Any Policy' : oid);
const oneline = (n: Name) =>
  n.rdns.map((rdn) => rdn.map((a) => `${SHORT[a.type] ?? a.type} = ${a.value}`).join(' + ')).join(', ');

function generalName(g: GeneralName, ip = 'IP Address'): string {
  switch (g.type) {
    case 'rfc822Name':
      return `email:${g.value}`;
    case 'dNSName':
      return `DNS:${g.value}`;
    case 'uniformResourceIdentifier':
      return `URI:${g.value}`;
    case 'directoryName':
      return `DirName:${oneline(g.value)}`;
    case 'iPAddress':
      return `${ip}:${Array.from(g.value).join('.')}`;
    default:
      return `?${g.type}`;
  }
}

/** Our decoded extensions written the way `openssl x509 -text` prints them (for the types in the sample). */
function render(c: Certificate): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (c.authorityKeyIdentifier?.keyIdentifier)
    out.set('X509v3 Authority Key Identifier', [colonHex(c.authorityKeyIdentifier.keyIdentifier)]);
  if (c.subjectKeyIdentifier) out.set('X509v3 Subject Key Identifier', [colonHex(c.subjectKeyIdentifier)]);
  if (c.keyUsage) out.set('X509v3 Key Usage', [[...c.keyUsage].map((k) => KU[k]).join(', ')]);
  const bc = c.basicConstraints;
  if (bc)
    out.set('X509v3 Basic Constraints', [
      `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ''}`,
    ]);
  if (c.certificatePolicies) {
    out.set(
      'X509v3 Certificate Policies',
      c.certificatePolicies.flatMap((p) => [
        `Policy: ${policy(p.oid)}`,
        ...p.qualifiers.flatMap((q) => {
          if (q.cps) return [`CPS: ${q.cps}`];
          const u = q.userNotice;
          if (!u) return [];
          return [
            'User Notice:',
            ...(u.organization !== undefined ? [`Organization: ${u.organization}`] : []),
            ...(u.noticeNumbers
              ? [`Number${u.noticeNumbers.length > 1 ? 's' : ''}: ${u.noticeNumbers.join(', ')}`]
              : []),
            ...(u.explicitText !== undefined ? [`Explicit Text: ${u.explicitText}`] : []),
          ];
        }),
      ]),
    );
  }
  if (c.policyMappings)
    out.set('X509v3 Policy Mappings', [
      c.policyMappings.map((m) => `${policy(m.issuerDomainPolicy)}:${policy(m.subjectDomainPolicy)}`).join(', '),
    ]);
  const pc = c.policyConstraints;
  if (pc) {
    const parts = [
      ...(pc.requireExplicitPolicy !== undefined ? [`Require Explicit Policy:${pc.requireExplicitPolicy}`] : []),
      ...(pc.inhibitPolicyMapping !== undefined ? [`Inhibit Policy Mapping:${pc.inhibitPolicyMapping}`] : []),
    ];
    out.set('X509v3 Policy Constraints', [parts.join(', ')]);
  }
  const iap = c.extensions.find((e) => e.oid === '2.5.29.54');
  if (iap) out.set('X509v3 Inhibit Any Policy', [String(iap.value[2])]);
  const nc = c.nameConstraints;
  if (nc) {
    const lines: string[] = [];
    if (nc.permitted) lines.push('Permitted:', ...nc.permitted.map((s) => generalName(s.base, 'IP')));
    if (nc.excluded) lines.push('Excluded:', ...nc.excluded.map((s) => generalName(s.base, 'IP')));
    out.set('X509v3 Name Constraints', lines);
  }
  if (c.subjectAltName)
    out.set('X509v3 Subject Alternative Name', [c.subjectAltName.map((g) => generalName(g)).join(', ')]);
  return out;
}

/** Splits the X509v3 extensions section of `openssl x509 -text` into header → trimmed lines. */
function opensslExtensions(textOut: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const section = textOut.split('X509v3 extensions:')[1]?.split(/\n {4}Signature Algorithm/)[0] ?? '';
  let current: string[] | undefined;
  for (const line of section.split('\n')) {
    const header = /^ {12}(\S.*?):( critical)?\s*$/.exec(line);
    if (header?.[1]) {
      current = [];
      out.set(header[1], current);
    } else if (line.trim() && current) current.push(line.trim());
  }
  return out;
}

describe('NIST PKITS certificates against openssl x509 -text', () => {
  it.each(SAMPLE)('%s', async (file) => {
    const path = resolveVector(`nist-pkits/certs/${file}`);
    const cert = parseCertificate(new Uint8Array(await readFile(path)));
    const textOut = await opensslText(
      ['x509', '-inform', 'DER', '-in', path, '-noout', '-text', '-certopt', 'no_pubkey,no_sigdump'],
      { gost: false },
    );
    const theirs = opensslExtensions(textOut);
    const ours = render(cert);
    expect(ours.size).toBeGreaterThan(0);
    for (const [header, lines] of ours) expect(lines, `${file}: ${header}`).toEqual(theirs.get(header));
    // every extension OpenSSL shows is one we decoded or at least listed
    expect(cert.extensions.length).toBe(theirs.size);

    const info = await opensslText(
      [
        'x509',
        '-inform',
        'DER',
        '-in',
        path,
        '-noout',
        '-serial',
        '-startdate',
        '-enddate',
        '-subject',
        '-issuer',
        '-nameopt',
        'RFC2253',
      ],
      { gost: false },
    );
    expect(info).toContain(`serial=${cert.serialHex.toUpperCase()}`);
    expect(info).toContain(`subject=${cert.subject.toString()}`);
    expect(info).toContain(`issuer=${cert.issuer.toString()}`);
    const { opensslDate } = await import('@eds/core/_describe');
    expect(info).toContain(`notBefore=${opensslDate(cert.notBefore)}`);
    expect(info).toContain(`notAfter=${opensslDate(cert.notAfter)}`);
  });
});

describe('fingerprints against openssl', () => {
  it.each([
    'gost/tc26-cms-2019/root256_cert.pem',
    'gost/tc26-cms-2019/sender512_cert.pem',
    'nist-pkits/certs/GoodCACert.crt',
  ])('%s', async (rel) => {
    const path = resolveVector(rel);
    const form = rel.endsWith('.pem') ? 'PEM' : 'DER';
    const cert = parseCertificate(new Uint8Array(await readFile(path)));
    for (const [alg, ours] of [
      ['-sha1', cert.fingerprintHex('sha1')],
      ['-sha256', cert.fingerprintHex('sha256')],
    ] as const) {
      const out = await opensslText(['x509', '-inform', form, '-in', path, '-noout', '-fingerprint', alg], {
        gost: false,
      });
      expect(out.split('=')[1]?.trim().replace(/:/g, '').toLowerCase(), alg).toBe(ours);
    }
    const streebog = await opensslText(['dgst', '-streebog256', '-r'], { input: cert.raw });
    expect(streebog.split(' ')[0]).toBe(cert.fingerprintHex('streebog256'));
  });
});

describe('a Russian qualified-style certificate made by OpenSSL with the GOST engine', () => {
  const ids = { inn: '007710474375', snils: '12345678901', ogrn: '1027700132195' };
  const person = { cn: 'Иванов Иван Иванович', sn: 'Иванов', gn: 'Иван Иванович' };
  // «» rather than "": OpenSSL's config-value parser drops double quotes in -addext values;
  // `ASN1:FORMAT:UTF8,UTF8String:` because without FORMAT:UTF8 OpenSSL reads the argument as
  // Latin-1 and stores it UTF-8-encoded twice
  const signTool = 'СКЗИ «КриптоПро CSP» (версия 5.0)';
  const ist = {
    signTool: 'СКЗИ «КриптоПро CSP» (версия 4.0)',
    cATool: 'ПАК «Удостоверяющий центр «КриптоПро УЦ» версии 2.0»',
    signToolCert: 'Сертификат соответствия № СФ/124-3966',
    cAToolCert: 'Сертификат соответствия № СФ/128-3868',
  };
  const subj = [
    `CN=${person.cn}`,
    `SN=${person.sn}`,
    `GN=${person.gn}`,
    `INN=${ids.inn}`,
    `SNILS=${ids.snils}`,
    `OGRN=${ids.ogrn}`,
    'C=RU',
    'ST=77 г. Москва',
    'L=Москва',
    'O=ООО "Ромашка"',
    'street=ул. Ленина, д. 1',
  ];

  it('getters, sign tools, policies and isQualified match the input and openssl x509 -text', async () => {
    await withTempDir(async (dir) => {
      await opensslText(
        [
          'req',
          '-x509',
          '-newkey',
          'gost2012_256',
          '-pkeyopt',
          'paramset:A',
          '-nodes',
          '-keyout',
          'q.key',
          '-out',
          'q.der',
          '-outform',
          'DER',
          '-days',
          '365',
          '-md_gost12_256',
          '-utf8',
          '-subj',
          `/${subj.join('/')}`,
          '-addext',
          `subjectSignTool=ASN1:FORMAT:UTF8,UTF8String:${signTool}`,
          '-addext',
          `issuerSignTool=${Object.entries(ist)
            .map(([k, v]) => `${k}:${v}`)
            .join(',')}`,
          '-addext',
          'certificatePolicies=1.2.643.100.113.1,1.2.643.100.113.2',
          '-addext',
          'keyUsage=critical,digitalSignature,nonRepudiation',
        ],
        { cwd: dir },
      );
      const cert = parseCertificate(new Uint8Array(await readFile(join(dir, 'q.der'))));
      const text = await opensslText(
        ['x509', '-inform', 'DER', '-in', 'q.der', '-noout', '-text', '-certopt', 'no_pubkey,no_sigdump'],
        { cwd: dir },
      );
      const rfc2253 = await opensslText(
        ['x509', '-inform', 'DER', '-in', 'q.der', '-noout', '-subject', '-issuer', '-nameopt', 'RFC2253,-esc_msb'],
        { cwd: dir },
      );

      // against what we passed in
      const s = cert.subject;
      expect([s.commonName, s.surname, s.givenName]).toEqual([person.cn, person.sn, person.gn]);
      expect([s.inn, s.snils, s.ogrn]).toEqual([ids.inn, ids.snils, ids.ogrn]);
      expect(s.innle).toBe(ids.inn.slice(2)); // "00" + 10 digits: a legal entity's INN in the legacy form
      expect([s.country, s.locality, s.organization, s.street]).toEqual([
        'RU',
        'Москва',
        'ООО "Ромашка"',
        'ул. Ленина, д. 1',
      ]);
      expect(cert.ownerName).toBe(`${person.sn} ${person.gn}`);
      expect(cert.subjectSignTool).toBe(signTool);
      expect(cert.issuerSignTool).toEqual(ist);
      expect(cert.certificatePolicies?.map((p) => p.oid)).toEqual(['1.2.643.100.113.1', '1.2.643.100.113.2']);
      expect(cert.qualifiedClasses).toEqual(['KC1', 'KC2']);
      expect(cert.isQualified).toBe(true);
      expect(cert.isSelfIssued).toBe(true);
      expect(cert.publicKeyAlgorithm.oid).toBe('1.2.643.7.1.1.1.1');
      expect(cert.publicKeyParamSet).toBe('1.2.643.2.2.35.1');
      expect(cert.signatureAlgorithm.oid).toBe('1.2.643.7.1.1.3.2');

      // against openssl
      compareName(cert.subject, /^subject=(.*)$/m.exec(rfc2253)?.[1] ?? '', 'subject');
      compareName(cert.issuer, /^issuer=(.*)$/m.exec(rfc2253)?.[1] ?? '', 'issuer');
      const theirs = opensslExtensions(text);
      expect(theirs.get('Signing Tool of Subject')).toEqual([cert.subjectSignTool]);
      const istLines = theirs.get('Signing Tool of Issuer') ?? [];
      expect(Object.fromEntries(istLines.map((l) => l.split(/\s*: /) as [string, string]))).toEqual(
        cert.issuerSignTool,
      );
      expect(theirs.get('X509v3 Certificate Policies')).toEqual(
        cert.qualifiedClasses.map((c) => `Policy: Class of Signing Tool ${c}`),
      );
      expect(theirs.get('X509v3 Key Usage')).toEqual([[...(cert.keyUsage ?? [])].map((k) => KU[k]).join(', ')]);
      expect(text).toContain(`Serial Number:\n            ${colonHex(hexBytes(cert.serialHex)).toLowerCase()}`);
    });
  });
});

const hexBytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
