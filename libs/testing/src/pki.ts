import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A PEM certificate and its private key, as file paths. */
export interface CertPair {
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Subject CN (default: the name). */
  cn?: string;
  /** URI SANs, e.g. `imgate://comet/comet-1` (how imgate's roles identify each other). */
  uris?: string[];
  /** DNS SANs (default: localhost). */
  dns?: string[];
  /** IP SANs (default: 127.0.0.1 and ::1). */
  ips?: string[];
  /** Days of validity (default 2). */
  days?: number;
}

/** A throwaway PKI in a folder: one CA, a server certificate and the imgate role certificates. */
export interface TestPki {
  dir: string;
  /** The CA certificate (PEM path) every cert below chains to. */
  ca: string;
  caKey: string;
  /** Server certificate for localhost / 127.0.0.1 / ::1 (serverAuth + clientAuth). */
  server: CertPair;
  /** Role certificates, each also valid as a server cert for localhost / 127.0.0.1. */
  logic: CertPair;
  job: CertPair;
  /** A comet certificate; the comet id is in its URI SAN `imgate://comet/<id>`. */
  comet(id: string): CertPair;
  /** Issues one more certificate from this CA (file names from `name`). */
  issue(name: string, opts?: IssueOptions): CertPair;
}

/** The URI SAN that names an imgate role in its certificate (docs/security.md, "Trust between roles"). */
export function roleUri(role: 'logic' | 'job' | 'comet', id?: string): string {
  return id ? `imgate://${role}/${id}` : `imgate://${role}`;
}

/**
 * One PEM file with the key (as PKCS#8, the only form Kafka's PEM keystore reads) and the
 * certificate: what a Kafka broker takes as `ssl.keystore.type=PEM`.
 */
export function pemKeystore(pair: CertPair, out: string): string {
  const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', pair.key], { stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(out, Buffer.concat([pkcs8, readFileSync(pair.cert)]), { mode: 0o600 });
  return out;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Makes a CA and certificates with Debian's `openssl` (EC P-256, SHA-256). Synchronous: it runs a
 * few openssl commands and takes well under a second. Everything is written under `dir`.
 */
export function makeTestPki(dir: string, caName = 'imgate test CA'): TestPki {
  mkdirSync(dir, { recursive: true });
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey]);
  openssl(['req', '-x509', '-new', '-key', caKey, '-sha256', '-days', '3', '-subj', `/CN=${caName}`, '-out', ca,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);

  let serial = 1;
  const issue = (name: string, opts: IssueOptions = {}): CertPair => {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    const cert = join(dir, `${name}.pem`);
    const ext = join(dir, `${name}.ext`);
    const sans = [
      ...(opts.dns ?? ['localhost']).map((d) => `DNS:${d}`),
      ...(opts.ips ?? ['127.0.0.1', '::1']).map((i) => `IP:${i}`),
      ...(opts.uris ?? []).map((u) => `URI:${u}`),
    ];
    writeFileSync(ext, [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
      '',
    ].join('\n'));
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    openssl(['req', '-new', '-key', key, '-subj', `/CN=${opts.cn ?? name}`, '-out', csr]);
    openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-set_serial', String(serial++), '-days', String(opts.days ?? 2),
      '-sha256', '-extfile', ext, '-out', cert]);
    return { cert, key };
  };

  return {
    dir,
    ca,
    caKey,
    server: issue('server'),
    logic: issue('logic', { uris: [roleUri('logic')] }),
    job: issue('job', { uris: [roleUri('job')] }),
    comet: (id) => issue(`comet-${id}`, { uris: [roleUri('comet', id)] }),
    issue,
  };
}
