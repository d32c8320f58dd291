/** The one export of workerd's built-in module this package uses; typed where it is used (durable-object.ts). */
declare module 'cloudflare:workers' {
  export const DurableObject: unknown;
}
