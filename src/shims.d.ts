// comlink ships its Node adapter as .mjs with a plain .d.ts beside it; NodeNext resolution
// does not pair the two, so declare the deep import here.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export default function nodeEndpoint(nep: unknown): Endpoint;
}
