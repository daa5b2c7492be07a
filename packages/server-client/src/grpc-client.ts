import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { protoDir } from './proto';
import { type Body, bodyBytes, type DeliveryReport, ImgateApiError, type PushOptions, type PushResult } from './types';

export interface GrpcClientOptions {
  /** Logic's gRPC address: host:port, or a grpc-js URI such as dns:///logic:3119. */
  target: string;
  /** One of logic's LOGIC_API_KEYS, sent as `authorization: Bearer <key>` metadata. */
  apiKey?: string;
  /** TLS to logic (e.g. grpc.credentials.createSsl(ca)); plaintext when absent. */
  credentials?: grpc.ChannelCredentials;
  timeoutMs?: number;
}

type Unary = (req: object, metadata: grpc.Metadata, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => grpc.ClientUnaryCall;
type LogicStub = grpc.Client & Record<'PushKeys' | 'PushMids' | 'PushRoom' | 'PushAll' | 'Delivery', Unary>;

let logicService: grpc.ServiceClientConstructor | undefined;

function logicConstructor(): grpc.ServiceClientConstructor {
  if (logicService) return logicService;
  const def = protoLoader.loadSync(join(protoDir(), 'logic.proto'), { keepCase: false, longs: Number, enums: String, defaults: true, arrays: true, includeDirs: [protoDir()] });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { imgate: { logic: { Logic: grpc.ServiceClientConstructor } } };
  return (logicService = pkg.imgate.logic.Logic);
}

/** Logic's gRPC push methods for a business service; every call carries the API key. */
export class ImgateGrpcClient {
  private readonly stub: LogicStub;
  private readonly metadata = new grpc.Metadata();

  constructor(private readonly opts: GrpcClientOptions) {
    const Logic = logicConstructor();
    this.stub = new Logic(opts.target, opts.credentials ?? grpc.credentials.createInsecure()) as unknown as LogicStub;
    if (opts.apiKey) this.metadata.set('authorization', `Bearer ${opts.apiKey}`);
  }

  pushKeys(keys: string[], op: number, body: Body, opts: PushOptions = {}): Promise<PushResult> {
    return this.call('PushKeys', { keys, operation: op, body: bodyBytes(body), idempotencyKey: opts.idempotencyKey ?? '' });
  }

  pushMids(mids: number[], op: number, body: Body, opts: PushOptions = {}): Promise<PushResult> {
    return this.call('PushMids', { mids, operation: op, body: bodyBytes(body), idempotencyKey: opts.idempotencyKey ?? '' });
  }

  pushRoom(room: string, op: number, body: Body, opts: PushOptions = {}): Promise<PushResult> {
    return this.call('PushRoom', { room, operation: op, body: bodyBytes(body), idempotencyKey: opts.idempotencyKey ?? '' });
  }

  pushAll(op: number, body: Body, opts: PushOptions & { speed?: number } = {}): Promise<PushResult> {
    return this.call('PushAll', { operation: op, speed: opts.speed ?? 0, body: bodyBytes(body), idempotencyKey: opts.idempotencyKey ?? '' });
  }

  delivery(mid: number): Promise<DeliveryReport> {
    return this.call('Delivery', { mid });
  }

  close(): void {
    this.stub.close();
  }

  private call<T>(method: keyof Omit<LogicStub, keyof grpc.Client>, req: object): Promise<T> {
    const deadline = Date.now() + (this.opts.timeoutMs ?? 10_000);
    return new Promise((resolve, reject) => {
      this.stub[method](req, this.metadata, { deadline }, (err, res) => {
        if (err) reject(new ImgateApiError(err.code, `${method}: ${grpc.status[err.code] ?? err.code}: ${err.details}`));
        else resolve(res as T);
      });
    });
  }
}
