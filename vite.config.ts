import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import { apiReferenceScript } from "./workers/api/api-reference-script.ts";

/**
 * The interactive API reference (/api/docs) runs Scalar's standalone bundle. It is served from our own origin, so the
 * docs work offline and under our CSP, instead of from a CDN. The file is named by Scalar's version
 * (workers/api/api-reference-script.ts) so that it can be cached for good.
 */
function apiReferenceBundle(): Plugin {
  const require = createRequire(import.meta.url);
  const standalone = require.resolve("@scalar/api-reference/browser/standalone.js");
  const packageRoot = standalone.slice(0, standalone.lastIndexOf("@scalar/api-reference/") + "@scalar/api-reference/".length);
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  return {
    name: "perch:api-reference-bundle",
    apply: "build",
    generateBundle() {
      if (this.environment.config.build.ssr) return;
      const fileName = `vendor/scalar-api-reference-${version}.js`;
      if (apiReferenceScript !== `/${fileName}`)
        this.error(`@scalar/api-reference is ${version}: set apiReferenceScript to "/${fileName}" in workers/api/api-reference-script.ts`);
      this.emitFile({ type: "asset", fileName, source: readFileSync(standalone) });
    },
  };
}

/**
 * The server build bundles only app/: every package and every module the rest of the Worker can reach (#domain, #db,
 * #workers) stays an import, and wrangler bundles the Worker with one copy of each. A second copy would grow the
 * bundle and break `instanceof` between the pages and the rest of the Worker (a DomainError thrown by one copy of the
 * domain is not an instance of the other's class). See docs/decisions/0023-one-lean-worker-bundle.md.
 */
const bareOrShared = /^(#(domain|db|workers)\/|@?[a-z0-9][\w.-]*(\/|$))/;

function serverBuild(): Plugin {
  return {
    name: "perch:server-build",
    config: (_, { isSsrBuild }) =>
      isSsrBuild
        ? {
            build: {
              rollupOptions: { external: (id: string) => bareOrShared.test(id) && !id.includes(":") },
              // The server build's source map lets wrangler map the Worker back to app/ (for stack traces). The client
              // build has none: public source maps would show our loaders and their imports to anyone.
              sourcemap: true,
            },
          }
        : {},
  };
}

export default defineConfig({
  plugins: [
    tailwindcss(),
    remix({
      serverModuleFormat: "esm",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
      },
    }),
    apiReferenceBundle(),
    serverBuild(),
  ],
  ssr: {
    target: "webworker",
    noExternal: true,
    resolve: {
      conditions: ["workerd", "worker", "browser"],
      externalConditions: ["workerd", "worker"],
    },
  },
  build: {
    // `npm run dev` rebuilds over the running build instead of deleting it first (docs/decisions/0006).
    emptyOutDir: process.env.PERCH_KEEP_BUILD ? false : undefined,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        // A route with only a loader or action (resources.*, logout, ...) has nothing for the browser: its chunk is empty.
        if (warning.code === "EMPTY_BUNDLE") return;
        warn(warning);
      },
    },
  },
});
