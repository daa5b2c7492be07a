import type { TransportFactory, TransportHandlers } from '../transport/transport.js';
import { MiniComet } from './mini-comet.js';
import { MiniStreams } from './mini-streams.js';

/** One client link to a MiniComet. */
export interface MiniCometLink {
  readonly address: string;
  readonly comet: MiniComet;
  closed: boolean;
  /** The network ends the link. */
  drop(reason?: string): void;
}

/**
 * Dials MiniComets sharing one MiniStreams, like comets of one cluster behind logic. Each side's
 * writes arrive on a later microtask, as over a socket, so neither side is re-entered mid-call.
 */
export class MiniCometNetwork {
  readonly streams = new MiniStreams();
  readonly links: MiniCometLink[] = [];
  /** Comets dialed from now on hold op-28 syncs until answerSyncs(). */
  holdSyncs = false;

  readonly factory: TransportFactory = (address, handlers) => {
    const link = this.link(address, handlers);
    link.comet.holdSyncs = this.holdSyncs;
    this.links.push(link);
    queueMicrotask(() => {
      if (!link.closed) handlers.open();
    });
    return {
      // What was written before a close still arrives, as a socket flushes before it closes.
      send: (bytes) => {
        if (link.closed) return;
        const copy = bytes.slice();
        queueMicrotask(() => link.comet.onBytes(copy));
      },
      close: () => (link.closed = true),
    };
  };

  last(): MiniCometLink {
    const link = this.links.at(-1);
    if (!link) throw new Error('no link was dialed');
    return link;
  }

  private link(address: string, handlers: TransportHandlers): MiniCometLink {
    const link: MiniCometLink = {
      address,
      closed: false,
      comet: new MiniComet((bytes) => queueMicrotask(() => !link.closed && handlers.data(bytes)), this.streams),
      drop: (reason = 'gone') => {
        if (link.closed) return;
        link.closed = true;
        handlers.close(reason);
      },
    };
    return link;
  }
}
