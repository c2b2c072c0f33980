// `eds sign --xml`: an XML signature of a file with @eds/core/xmldsig (W3C XMLDSig 1.1; ETSI EN 319 132-1 XAdES-BES/T; the SMEV 3 and Kazakh profiles).
import { readFile } from 'node:fs/promises';
import type { TsaEndpoint } from '@eds/core/cades';
import type { Signer } from '@eds/core/types';
import { signXml } from '@eds/core/xmldsig';
import { UsageError } from './_cli';

/** The XML options of `eds sign`. */
export interface XmlSignArgs {
  /** XAdES at the `--level` given (BES or T); plain XMLDSig without `--level`. */
  readonly xades: boolean;
  readonly profile: 'default' | 'smev3' | 'kazakh';
  readonly referenceId?: string | undefined;
  readonly signatureParent?: string | undefined;
  readonly detached: boolean;
}

const PROFILES = ['default', 'smev3', 'kazakh'] as const;

/** Checks the option combinations of `--xml`; each wrong one is a UsageError. */
export function xmlArgs(
  values: {
    level?: string | undefined;
    profile?: string | undefined;
    'reference-id'?: string | undefined;
    'signature-parent'?: string | undefined;
    detached: boolean;
    pem: boolean;
    'add-to'?: string | undefined;
    trust: string[];
    chain: string[];
    crl: string[];
    ocsp: string[];
  },
  level: string,
): XmlSignArgs {
  if (level !== 'BES' && level !== 'T') throw new UsageError(`--xml signs at --level BES or T (XAdES), not ${level}`);
  if (values['add-to']) throw new UsageError('--add-to applies to CMS signatures, not --xml');
  if (values.pem) throw new UsageError('--pem applies to CMS signatures, not --xml');
  if (values.trust.length + values.chain.length + values.crl.length + values.ocsp.length > 0)
    throw new UsageError('--trust, --chain, --crl and --ocsp apply to CMS --level XLT1 and LT, not --xml');
  const profile = (values.profile ?? 'default') as XmlSignArgs['profile'];
  if (!PROFILES.includes(profile))
    throw new UsageError(`unknown --profile ${values.profile} (choose default, smev3 or kazakh)`);
  if (values.detached && !values['reference-id'])
    throw new UsageError('--xml --detached needs --reference-id <Id> of the element to sign');
  return {
    xades: values.level !== undefined,
    profile,
    referenceId: values['reference-id'],
    signatureParent: values['signature-parent'],
    detached: values.detached,
  };
}

/** Signs the XML file and returns the signed document (the SignedInfo exactly as signed). */
export async function signXmlFile(
  file: string,
  signer: Signer,
  a: XmlSignArgs,
  tsa: TsaEndpoint | undefined,
): Promise<string> {
  const document = new Uint8Array(await readFile(file));
  return signXml({
    document,
    signer,
    profile: a.profile,
    referenceId: a.referenceId,
    signatureParent: a.signatureParent,
    mode: a.detached ? 'detached' : undefined,
    xades: a.xades ? { level: tsa ? 'T' : 'BES', tsa } : undefined,
  });
}
