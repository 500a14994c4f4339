import { connect } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#functions/api/request-body.ts';
import { readBoundedBody } from '../../../infra/local/request-body-limit.ts';
import { useLocalServer } from '../../support/local-server.ts';

// Oversized bodies, as a client sends them to npm start: with a length or chunked, with and without
// `Expect: 100-continue`. Every one gets the documented JSON 413 it can read, never a reset or a
// silent close, on every route that takes a body.
const world = useLocalServer();
const MB = 1024 * 1024;
const PIECE = Buffer.alloc(64 * 1024, 'x');

interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Whether the server asked for the body with `100 Continue`. */
  readonly continued: boolean;
  /** How much of the body the client got to send before the answer ended the exchange. */
  readonly sent: number;
}

/**
 * POSTs `bytes` of body over a raw socket, as fast as the socket takes it, and stops sending once a
 * final answer has arrived (as curl does). Write errors after the answer are the server closing,
 * as it may; what matters is that the answer was read first.
 */
const post = (path: string, bytes: number, options: { readonly chunked: boolean; readonly expect: boolean }) =>
  new Promise<Answer>((resolve, reject) => {
    const socket = connect(world.port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let continued = false;
    const finalAnswer = () => {
      const rest = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
      continued = rest !== received || continued;
      return /^HTTP\/1\.1 (?!100)\d{3}/.test(rest) ? rest : undefined;
    };
    const sendBody = () => {
      while (sent < bytes && finalAnswer() === undefined && !socket.destroyed) {
        const piece = PIECE.subarray(0, Math.min(PIECE.length, bytes - sent));
        sent += piece.length;
        const more = socket.write(
          options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece,
        );
        if (!more) return void socket.once('drain', sendBody);
      }
      if (sent >= bytes && options.chunked && !socket.destroyed) socket.write('0\r\n\r\n');
    };
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (options.expect && sent === 0 && /^HTTP\/1\.1 100 Continue\r\n\r\n/.test(received)) sendBody();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const answer = finalAnswer();
      if (!answer) return reject(new Error(`no answer after ${sent} bytes sent: ${JSON.stringify(received.slice(0, 200))}`));
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      try {
        resolve({ status: Number(head.slice(9, 12)), body: JSON.parse(body) as unknown, continued, sent });
      } catch {
        reject(new Error(`not a JSON answer: ${JSON.stringify(answer.slice(0, 300))}`));
      }
    });
    socket.on('connect', () => {
      socket.write(
        [
          `POST ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${world.port}`,
          `Authorization: Bearer ${world.tokenOfRole('admin')}`,
          'Content-Type: application/json',
          options.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes}`,
          ...(options.expect ? ['Expect: 100-continue'] : []),
          '',
          '',
        ].join('\r\n'),
      );
      if (!options.expect) sendBody();
    });
  });

const TOO_LARGE = { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 256 KB.' } };

describe('a body over the limit (npm start)', () => {
  for (const size of [2, 20, 100])
    for (const chunked of [false, true])
      for (const expectContinue of [false, true])
        it(`answers ${size} MB ${chunked ? 'chunked' : 'with a length'}${expectContinue ? ', Expect: 100-continue' : ''} with the JSON 413`, async () => {
          const answer = await post('/runs', size * MB, { chunked, expect: expectContinue });
          expect(answer).toMatchObject({ status: 413, body: TOO_LARGE });
          // A declared length over the limit is refused before any of it is asked for or read.
          if (!chunked && expectContinue) expect(answer).toMatchObject({ continued: false, sent: 0 });
        });

  for (const path of ['/mcp', '/slack/interactions'])
    for (const chunked of [false, true])
      it(`answers the same on ${path} (20 MB ${chunked ? 'chunked' : 'with a length'})`, async () => {
        expect(await post(path, 20 * MB, { chunked, expect: false })).toMatchObject({ status: 413, body: TOO_LARGE });
      });

  it('still takes a body under the limit on the same server, with Expect: 100-continue', async () => {
    const body = JSON.stringify({ input: 'hello' });
    const small = await new Promise<string>((resolve) => {
      const socket = connect(world.port, '127.0.0.1');
      let received = '';
      socket.on('data', (data: Buffer) => {
        received += data.toString();
        if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !received.includes('202')) socket.write(body);
        if (received.includes('HTTP/1.1 202')) socket.end();
      });
      socket.on('close', () => resolve(received));
      socket.write(
        `POST /runs HTTP/1.1\r\nHost: 127.0.0.1:${world.port}\r\nAuthorization: Bearer ${world.tokenOfRole('admin')}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
    });
    expect(small).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 202/);
  });
});

describe('readBoundedBody', () => {
  it('answers as soon as a 100 MB body passes the limit, and drops the rest as it comes', async () => {
    const stream = new PassThrough({ highWaterMark: PIECE.length });
    let offered = 0;
    // One piece a turn of the event loop, as a socket delivers them.
    const feed = () => {
      if (offered >= 100 * MB) return void stream.end();
      stream.write(PIECE);
      offered += PIECE.length;
      setImmediate(feed);
    };
    feed();
    const ended = new Promise((resolve) => stream.on('end', resolve));
    const answered = await readBoundedBody(stream as unknown as IncomingMessage);
    expect(answered).toBeUndefined();
    // The answer came a few chunks past the limit, long before the 100 MB were offered.
    expect(offered).toBeLessThan(MAX_BODY_BYTES + 8 * PIECE.length);
    // What still came was read and dropped: the stream drained to its end, holding nothing back.
    await ended;
    expect(stream.readableLength).toBe(0);
  });

  it('returns a body within the limit whole', async () => {
    const stream = new PassThrough();
    stream.end(Buffer.from('{"input":"hi"}'));
    expect(await readBoundedBody(stream as unknown as IncomingMessage)).toBe('{"input":"hi"}');
  });
});
