// @web/test-runner-visual-regression 0.10 re-exports its browser command from "./browser/commands.mjs",
// whose declarations are named commands.d.ts, so TypeScript cannot see them. This is that declaration.
declare module '@web/test-runner-visual-regression' {
  export function visualDiff(element: Node, name: string): Promise<void>;
}
