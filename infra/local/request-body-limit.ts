import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_BODY_BYTES } from '../../functions/api/request-body.ts';

/**
 * After refusing a body, how much more of it is read and dropped before the connection is cut, and
 * for how long: enough for a client that keeps sending to read the 413 first (a close with unread
 * data sends a reset, which can take the answer with it), bounded so that a 100 MB upload costs the
 * server at most this much reading and nothing kept.
 */
export const LINGER_BYTES = 4 * 1024 * 1024;
export const LINGER_MS = 2000;

/** Whether the request says, before any of it is read, that its body is over the limit. */
export const declaredTooLarge = (request: IncomingMessage, limit = MAX_BODY_BYTES): boolean => {
  const length = request.headers['content-length'];
  return length !== undefined && /^\d+$/.test(length) && Number(length) > limit;
};

/**
 * The body, or `undefined` as soon as it passes the limit: then reading stops and nothing past the
 * limit is kept (the caller answers 413 and closes with `lingeringClose`). Never holds more than
 * `limit` bytes, whether the body has a length or is chunked.
 */
export const readBoundedBody = (request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Past the limit: answer now and keep nothing; what still comes is dropped (and bounded by lingeringClose).
      chunks.length = 0;
      resolve(undefined);
    });
    request.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/**
 * Closes the connection after this answer the way servers do after refusing an upload (Apache's
 * "lingering close"): the answer is sent, the server's side is half-closed, and what the client
 * still sends is read and dropped, up to `LINGER_BYTES` or `LINGER_MS`, before the socket is
 * destroyed. Node's own close after a `connection: close` answer destroys the socket at once,
 * and the reset that unread data then causes can reach the client before it has read the answer.
 */
export const lingeringClose = (request: IncomingMessage, response: ServerResponse): void => {
  const socket = response.socket as (Socket & { destroySoon?: () => void }) | null;
  if (!socket) return;
  let dropped = 0;
  let lingering = false;
  const cut = () => socket.destroy();
  // The body arrives through the request while node's parser holds the socket, and on the socket after.
  const drop = (chunk: Buffer) => {
    dropped += chunk.length;
    if (lingering && dropped > LINGER_BYTES) cut();
  };
  request.on('data', drop);
  request.resume();
  // node:http calls destroySoon once a `connection: close` answer is written: linger instead.
  socket.destroySoon = () => {
    lingering = true;
    socket.end();
    setTimeout(cut, LINGER_MS).unref();
    socket.on('data', drop);
    socket.on('end', cut);
    request.on('end', () => socket.end());
    socket.resume();
  };
};
