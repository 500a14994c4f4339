import { RemoteServerError } from '../../../shared/remote-mcp/index.ts';

/**
 * `fetch` whose response bodies are cut off past `maxBytes`: a remote server cannot make the tool's
 * function read more than that, whatever it streams. The tool's own `maxResultBytes` then caps what
 * the model gets; this caps what is read at all.
 */
export const cappedFetch =
  (fetchImpl: typeof fetch, maxBytes: number): typeof fetch =>
  async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    let read = 0;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          read += chunk.byteLength;
          if (read > maxBytes)
            controller.error(new RemoteServerError(`The remote server answered more than ${maxBytes} bytes; the answer was dropped.`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
