// XMLDSig/XAdES algorithm URI tables (W3C XMLDSig 1.1, RFC 6931, draft-smirnov-xmldsig §7, pkigovkz; xml-signatures.md §1).
import { UnsupportedAlgorithmError } from './errors';
import type { Signer } from './types';

/** XMLDSig namespace (W3C XMLDSig 1.1 §3). */
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** XAdES 1.3.2 namespace (ETSI EN 319 132-1 §4.2). */
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
/** Type of the Reference to xades:SignedProperties (ETSI EN 319 132-1 §4.3.1). */
export const XADES_SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';
/** Enveloped-signature transform (XMLDSig §6.6.4). */
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** GOST R 34.10-2012-256 with GOST R 34.11-2012-256 (IANA cpxmlsec, draft-smirnov-xmldsig §7.1.2.1). */
export const GOST2012_256_SIGNATURE = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256';
/** GOST R 34.10-2012-512 with GOST R 34.11-2012-512 (draft-smirnov-xmldsig §7.1.2.2). */
export const GOST2012_512_SIGNATURE = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-512';
/** GOST R 34.11-2012-256 digest (IANA cpxmlsec). */
export const GOST2012_256_DIGEST = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256';
/** GOST R 34.11-2012-512 digest (IANA cpxmlsec). */
export const GOST2012_512_DIGEST = 'urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-512';
/** Legacy GOST R 34.10-2001 with GOST R 34.11-94 (xmlsec, SMEV samples). */
export const GOST2001_SIGNATURE = 'http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411';
/** Legacy GOST R 34.11-94 digest. */
export const GOST3411_94_DIGEST = 'http://www.w3.org/2001/04/xmldsig-more#gostr3411';
/** Kazakh GOST 34.10-2015-512 with 34.11-2015-512 (NCALayer/Kalkan, xml-signatures.md §1.2). */
export const KZ_GOST2015_512_SIGNATURE =
  'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512';
/** Kazakh GOST 34.11-2015-512 digest. */
export const KZ_GOST2015_512_DIGEST = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512';
/** Kazakh GOST 34.10-2015-256 with 34.11-2015-256 (the 256 variant of §1.2). */
export const KZ_GOST2015_256_SIGNATURE =
  'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-256';
/** Kazakh GOST 34.11-2015-256 digest. */
export const KZ_GOST2015_256_DIGEST = 'urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-256';

/** RSA PKCS#1 v1.5 with SHA-256 (RFC 6931 §2.3.2). */
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
/** RSA PKCS#1 v1.5 with SHA-384. */
export const RSA_SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384';
/** RSA PKCS#1 v1.5 with SHA-512. */
export const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
/** ECDSA with SHA-256, raw r‖s (XMLDSig 1.1 §6.4.3). */
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
/** ECDSA with SHA-384. */
export const ECDSA_SHA384 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384';
/** ECDSA with SHA-512. */
export const ECDSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512';
/** SHA-256 digest (XMLEnc). */
export const SHA256_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha256';
/** SHA-384 digest (RFC 6931 §2.1.3). */
export const SHA384_DIGEST = 'http://www.w3.org/2001/04/xmldsig-more#sha384';
/** SHA-512 digest (XMLEnc). */
export const SHA512_DIGEST = 'http://www.w3.org/2001/04/xmlenc#sha512';

/** The GOST R 34.10-2012-512 curves NCALayer uses: tc26 paramSetA and its Kazakh OID (§1.2). */
export const KZ_CURVE_OIDS: readonly string[] = ['1.2.643.7.1.2.1.2.1', '1.2.398.3.10.1.1.2.2.1'];

/** The XML profile an algorithm belongs to: Russian/W3C URIs or the Kazakh pkigovkz ones. */
export type UriProfile = 'default' | 'smev3' | 'kazakh';

/** Signature layout: as the signer returns it, byte-reversed (Kazakh), or ECDSA DER → r‖s. */
export type SignatureLayout = 'raw' | 'reversed' | 'ecdsa-p1363';

/** The URIs and the SignatureValue layout for one signer under one profile. */
export interface XmlAlgorithm {
  readonly signatureUri: string;
  readonly digestUri: string;
  readonly layout: SignatureLayout;
}

const W3C: Record<string, XmlAlgorithm> = {
  'gost2012-256': { signatureUri: GOST2012_256_SIGNATURE, digestUri: GOST2012_256_DIGEST, layout: 'raw' },
  'gost2012-512': { signatureUri: GOST2012_512_SIGNATURE, digestUri: GOST2012_512_DIGEST, layout: 'raw' },
  'rsa-pkcs1-sha256': { signatureUri: RSA_SHA256, digestUri: SHA256_DIGEST, layout: 'raw' },
  'rsa-pkcs1-sha384': { signatureUri: RSA_SHA384, digestUri: SHA384_DIGEST, layout: 'raw' },
  'rsa-pkcs1-sha512': { signatureUri: RSA_SHA512, digestUri: SHA512_DIGEST, layout: 'raw' },
  'ecdsa-sha256': { signatureUri: ECDSA_SHA256, digestUri: SHA256_DIGEST, layout: 'ecdsa-p1363' },
  'ecdsa-sha384': { signatureUri: ECDSA_SHA384, digestUri: SHA384_DIGEST, layout: 'ecdsa-p1363' },
  'ecdsa-sha512': { signatureUri: ECDSA_SHA512, digestUri: SHA512_DIGEST, layout: 'ecdsa-p1363' },
};

/** Digest URI for a digest algorithm name (the `DigestAlgorithm.name` of @eds/core/digests). */
export const DIGEST_URIS: Readonly<Record<string, string>> = {
  sha256: SHA256_DIGEST,
  sha384: SHA384_DIGEST,
  sha512: SHA512_DIGEST,
  streebog256: GOST2012_256_DIGEST,
  streebog512: GOST2012_512_DIGEST,
};

/**
 * The signature and digest URIs for `signer` under `profile`, and how its signature bytes are laid
 * out in SignatureValue (xml-signatures.md §1, §2).
 *
 * @throws {UnsupportedAlgorithmError} for a signer the profile cannot use.
 */
export function lookupXmlAlgorithm(signer: Signer, profile: UriProfile): XmlAlgorithm {
  const name = signer.algorithm?.name;
  const unsupported = (why: string) => new UnsupportedAlgorithmError({}, `xmldsig (${profile}): ${why}`);
  if (profile === 'kazakh') {
    if (name === 'gost2012-512') {
      if (!KZ_CURVE_OIDS.includes(signer.publicKey.curveOid ?? ''))
        throw unsupported(`GOST-512 keys must be on paramSetA (${KZ_CURVE_OIDS.join(' or ')})`);
      return { signatureUri: KZ_GOST2015_512_SIGNATURE, digestUri: KZ_GOST2015_512_DIGEST, layout: 'reversed' };
    }
    if (name === 'gost2012-256')
      return { signatureUri: KZ_GOST2015_256_SIGNATURE, digestUri: KZ_GOST2015_256_DIGEST, layout: 'reversed' };
    if (name === 'rsa-pkcs1-sha256') return W3C[name] as XmlAlgorithm;
    throw unsupported(`${name} is not used by NCALayer (GOST-512, GOST-256 or RSA-SHA256 only)`);
  }
  if (profile === 'smev3' && name !== 'gost2012-256' && name !== 'gost2012-512')
    throw unsupported(`SMEV 3 signatures are GOST R 34.10-2012, not ${name}`);
  const found = name ? W3C[name] : undefined;
  if (!found) throw unsupported(`no XMLDSig URI for ${name}`);
  return found;
}
