// A hand-written stand-in for a generated client: what sdkgen's TypeScript target emits, in small.
import { APIClient, APIResource, type APIPromise, type ClientOptions, type RequestOptions } from './core.js';
import type { Stream } from './streaming.js';
import type { Uploadable } from './uploads.js';

export interface Image {
  url?: string;
  [key: string]: unknown;
}

export interface ImagesResponse {
  created: number;
  data: Image[];
  [key: string]: unknown;
}

export interface ImageCreateVariationParams {
  image: Uploadable;
  n?: number | null;
  size?: '256x256' | '512x512' | '1024x1024' | null;
  [key: string]: unknown;
}

export interface ImageGenerateParams {
  prompt: string;
  n?: number | null;
  [key: string]: unknown;
}

export class Images extends APIResource {
  createVariation(body: ImageCreateVariationParams, options?: RequestOptions): APIPromise<ImagesResponse> {
    return this._client.request(
      {
        method: 'post',
        path: '/images/variations',
        body,
        bodyKind: 'multipart',
        contentType: 'multipart/form-data',
        security: ['bearer'],
        responseKind: 'json',
      },
      options,
    );
  }

  generate(body: ImageGenerateParams, options?: RequestOptions): APIPromise<ImagesResponse> {
    return this._client.request(
      { method: 'post', path: '/images/generations', body, bodyKind: 'json', security: ['bearer'] },
      options,
    );
  }

  retrieve(imageId: string, query: { include?: string[] } = {}, options?: RequestOptions): APIPromise<Image> {
    return this._client.request(
      { method: 'get', path: '/images/{image_id}', pathParams: { image_id: imageId }, query },
      options,
    );
  }

  stream(body: { prompt: string }, options?: RequestOptions): APIPromise<Stream<Image>> {
    return this._client.request(
      { method: 'post', path: '/images/stream', body, bodyKind: 'json', responseKind: 'stream' },
      options,
    );
  }
}

export class OpenAI extends APIClient {
  images: Images = new Images(this);

  constructor(options: ClientOptions = {}) {
    super(options, {
      baseURL: 'https://api.example.invalid/v1',
      envApiKey: 'OPENAI_API_KEY',
      envBaseURL: 'OPENAI_BASE_URL',
      clientName: 'OpenAI',
    });
  }
}
