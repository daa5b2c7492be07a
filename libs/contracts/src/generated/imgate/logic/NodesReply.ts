// Original file: proto/logic.proto

import type { Node as _imgate_logic_Node, Node__Output as _imgate_logic_Node__Output } from '../../imgate/logic/Node';

export interface NodesReply {
  'nodes'?: (_imgate_logic_Node)[];
}

export interface NodesReply__Output {
  'nodes': (_imgate_logic_Node__Output)[];
}
