import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProtoGrpcType as CometProto } from './generated/comet';
import type { ProtoGrpcType as LogicProto } from './generated/logic';

/** Options shared by every loader so runtime objects match the generated `__Output` types. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
};

/** The repository's proto/ folder, found by walking up (works from sources and from dist/). */
export function protoDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'logic.proto'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`proto/ folder not found above ${__dirname}`);
}

export function protoFile(name: 'comet' | 'logic' | 'queue'): string {
  return join(protoDir(), `${name}.proto`);
}

function load(name: 'comet' | 'logic'): grpc.GrpcObject {
  const def = protoLoader.loadSync(protoFile(name), { ...PROTO_LOADER_OPTIONS, includeDirs: [protoDir()] });
  return grpc.loadPackageDefinition(def);
}

let cometProto: CometProto | undefined;
let logicProto: LogicProto | undefined;

export function loadCometProto(): CometProto {
  cometProto ??= load('comet') as unknown as CometProto;
  return cometProto;
}

export function loadLogicProto(): LogicProto {
  logicProto ??= load('logic') as unknown as LogicProto;
  return logicProto;
}
