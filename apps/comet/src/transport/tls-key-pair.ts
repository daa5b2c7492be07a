import { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';
import { PEM_MARKERS, readFileOr } from '@imgate/common';

/** A certificate (chain) and its private key, loaded and checked together, ready to serve. */
export interface KeyPair {
  context: SecureContext;
  /** SHA-256 fingerprint of the leaf certificate (AA:BB:…), as clients see it. */
  fingerprint: string;
  /** When the leaf certificate expires, ms since epoch. */
  notAfter: number;
  /** The bytes read, to tell a real change from a touch. */
  certPem: Buffer;
  keyPem: Buffer;
}

/** Why a pair was refused, and which file is to blame (`pair`: they do not belong together). */
export class KeyPairError extends Error {
  constructor(
    readonly file: 'cert' | 'key' | 'pair',
    message: string,
  ) {
    super(message);
  }
}

function read(path: string, file: 'cert' | 'key'): Buffer {
  return readFileOr(path, (reason) => new KeyPairError(file, reason));
}

/** Parses the PEM bytes; a half-written file, a key of another certificate or a non-PEM file is refused with OpenSSL's reason. */
export function keyPairOf(certPem: Buffer, keyPem: Buffer): KeyPair {
  if (!PEM_MARKERS.certificate.test(certPem.toString('latin1'))) throw new KeyPairError('cert', 'is not a PEM certificate (no BEGIN CERTIFICATE)');
  if (!PEM_MARKERS.key.test(keyPem.toString('latin1'))) throw new KeyPairError('key', 'is not a PEM private key (no BEGIN … PRIVATE KEY)');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(certPem);
  } catch (err) {
    throw new KeyPairError('cert', `is not a valid certificate (${(err as Error).message})`);
  }
  const refused = (file: KeyPairError['file'], err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    return new KeyPairError(file, `was refused by OpenSSL (${code ? `${code}: ` : ''}${(err as Error).message})`);
  };
  // The certificate chain alone first, so a truncated intermediate is blamed on the right file.
  try {
    createSecureContext({ cert: certPem });
  } catch (err) {
    throw refused('cert', err);
  }
  let context: SecureContext;
  try {
    context = createSecureContext({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' });
  } catch (err) {
    throw refused((err as NodeJS.ErrnoException).code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' ? 'pair' : 'key', err);
  }
  return { context, fingerprint: leaf.fingerprint256, notAfter: Date.parse(leaf.validTo), certPem, keyPem };
}

/** Reads and checks the pair from its files (COMET_TLS_CERT, COMET_TLS_KEY). */
export function loadKeyPair(certPath: string, keyPath: string): KeyPair {
  return keyPairOf(read(certPath, 'cert'), read(keyPath, 'key'));
}
