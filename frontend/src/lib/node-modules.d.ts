// The few Node modules frontend tests use (they run in Node under vitest);
// the app itself never imports them. Without @types/node, these declarations
// type what the tests call.
declare module 'node:fs' {
  export function readFileSync(path: string | URL): Uint8Array;
}
declare module 'node:zlib' {
  export function gunzipSync(data: Uint8Array): Uint8Array;
}
