// Test driver: `node driver.js SCENARIO` runs one scenario against $BASE_URL and prints one JSON line.
// Options for the scenario come as JSON in $ARGS. Uses Node's `fs` (the runtime itself must not).
import * as fs from 'node:fs';

import { OpenAI } from './client.js';
import type { Call, RequestOptions } from './core.js';
import * as errors from './error.js';
import { isUploadable, toFile } from './uploads.js';

type Args = Record<string, unknown>;
const args: Args = JSON.parse(process.env['ARGS'] ?? '{}') as Args;
const baseURL = process.env['BASE_URL'] ?? '';

function client(extra: Record<string, unknown> = {}): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0, ...extra });
}

function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { thrown: String(err) };
  const chain: string[] = [];
  for (let proto = Object.getPrototypeOf(err); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    chain.push(proto.constructor.name);
  }
  const api = err instanceof errors.APIError ? err : undefined;
  return {
    chain,
    name: err.name,
    message: err.message,
    isRoot: err instanceof errors.OpenAIError,
    status: api?.status ?? null,
    error: api?.error ?? null,
    requestId: api?.headers?.get('x-request-id') ?? null,
    hasHeaders: api?.headers instanceof Headers,
    code: api?.code ?? null,
  };
}

async function settle(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const start = Date.now();
  try {
    const result = await promise;
    return { ok: true, result: result === undefined ? '<undefined>' : result, ms: Date.now() - start };
  } catch (err) {
    return { ok: false, ...describe(err), ms: Date.now() - start };
  }
}

const scenarios: Record<string, () => Promise<unknown>> = {
  async json() {
    const c = client({ defaultHeaders: { 'X-Default': 'd', 'X-Gone': 'g' } });
    return c.images.generate(
      { prompt: 'an otter', n: 2, skipped: undefined, nested: { a: [1, 'two', null], b: undefined } },
      { headers: { 'X-Gone': null, 'X-Extra': 'e' }, body: { extra_field: true } },
    );
  },

  async multipart() {
    const path = String(args['path']);
    const c = client();
    return c.images.createVariation({
      image: fs.createReadStream(path),
      blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }),
      file: new File([new Uint8Array([4, 5])], 'named.png', { type: 'image/png' }),
      buffer: Buffer.from('buffer-bytes'),
      arraybuffer: new Uint8Array([9, 8, 7]).buffer,
      tofile: await toFile(Buffer.from('to-file'), 'notes.txt', { type: 'text/plain' }),
      tofile_stream: await toFile(fs.createReadStream(path)),
      tofile_unnamed: await toFile(new Uint8Array([0, 255])),
      files: [new File(['a'], 'a.txt'), new File(['b'], 'b.txt')],
      tags: ['x', 'y'],
      meta: { k: 'v', deep: { flag: true } },
      n: 3,
      size: '256x256',
      flag: false,
      none: null,
      undef: undefined,
    });
  },

  async uploadable() {
    return {
      blob: isUploadable(new Blob(['x'])),
      bytes: isUploadable(new Uint8Array(1)),
      stream: isUploadable(fs.createReadStream(String(args['path']))),
      string: isUploadable('text'),
      object: isUploadable({ a: 1 }),
    };
  },

  async request() {
    const c = client((args['client'] as Record<string, unknown> | undefined) ?? {});
    const call = args['call'] as Call;
    return c.request(call, (args['options'] as RequestOptions | undefined) ?? {});
  },

  async binaryBody() {
    const c = client();
    return c.request({
      method: 'put',
      path: '/upload',
      body: fs.createReadStream(String(args['path'])),
      bodyKind: 'binary',
      contentType: 'image/png',
      responseKind: 'none',
    });
  },

  async binaryResponse() {
    const c = client();
    const response = await c.request<Response>({ method: 'get', path: '/content', responseKind: 'binary' });
    return { isResponse: response instanceof Response, bytes: [...new Uint8Array(await response.arrayBuffer())] };
  },

  async path() {
    return client().images.retrieve('a b/c?d', { include: ['x', 'y z'] });
  },

  async env() {
    const c = new OpenAI({ maxRetries: 0 });
    await c.images.retrieve('img');
    return { apiKey: c.apiKey, baseURL: c.baseURL, timeout: c.timeout, maxRetries: c.maxRetries };
  },

  async noKey() {
    const c = new OpenAI({ baseURL, maxRetries: 0 });
    await c.images.retrieve('img');
    return { apiKey: c.apiKey };
  },

  async retries() {
    const c = client({ maxRetries: args['clientMaxRetries'] ?? 2 });
    const options: RequestOptions = {};
    if (typeof args['maxRetries'] === 'number') options.maxRetries = args['maxRetries'];
    return c.images.retrieve('img', {}, options);
  },

  async timeout() {
    const c = client({ timeout: 200, maxRetries: 1 });
    return c.images.retrieve('img');
  },

  async connection() {
    return client().images.retrieve('img');
  },

  async abort() {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const c = client({ maxRetries: 2 });
    return c.images.retrieve('img', {}, { signal: controller.signal });
  },

  async abortBefore() {
    const controller = new AbortController();
    controller.abort();
    return client().images.retrieve('img', {}, { signal: controller.signal });
  },

  async responses() {
    const c = client();
    const raw = await c.images.retrieve('img').asResponse();
    const rawText = await raw.text();
    const { data, response } = await c.images.retrieve('img').withResponse();
    const chained = await c.images.retrieve('img').then((image) => image['url']);
    return {
      rawStatus: raw.status,
      rawHeader: raw.headers.get('x-request-id'),
      rawText,
      data,
      status: response.status,
      bodyUsed: response.bodyUsed,
      chained,
    };
  },

  async stream() {
    // A fetch whose body arrives in timed chunks, so the test sees events yielded as they come.
    const start = Date.now();
    const chunks = [
      'data: {"i":0}\n\n',
      ': a comment\nevent: message\ndata: {"i"',
      ':1}\r\n\r\ndata: {"i":2}\r',
      '\n\r\ndata: [DONE]\n\n',
    ];
    const fetch = async (): Promise<Response> => {
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = chunks[i++];
          if (chunk === undefined) return controller.close();
          await new Promise((resolve) => setTimeout(resolve, 100));
          controller.enqueue(new TextEncoder().encode(chunk));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    };
    const c = new OpenAI({ apiKey: 'k', baseURL: 'http://unused.invalid', fetch });
    const stream = await c.images.stream({ prompt: 'p' });
    const events: { event: unknown; ms: number }[] = [];
    for await (const event of stream) events.push({ event, ms: Date.now() - start });
    return { events, hasController: stream.controller instanceof AbortController };
  },

  async streamLoopback() {
    const stream = await client().images.stream({ prompt: 'p' });
    const events: unknown[] = [];
    for await (const event of stream) events.push(event);
    return events;
  },
};

const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (!scenario) throw new Error(`unknown scenario ${name}`);
process.stdout.write(JSON.stringify(await settle(scenario())) + '\n');
