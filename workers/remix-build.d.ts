/** The Remix server build (build/server/index.js) exists only after `npm run build`; typecheck does not need it. */
declare module "#build/server/index.js" {
  import type { ServerBuild } from "@remix-run/cloudflare";
  const build: ServerBuild;
  export = build;
}
