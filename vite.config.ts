import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The interactive API reference (/api/docs) runs Scalar's standalone bundle. It is served from our own origin, so the
 * docs work offline and under our CSP, instead of from a CDN.
 */
function apiReferenceBundle(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: "perch:api-reference-bundle",
    apply: "build",
    generateBundle() {
      if (this.environment.config.build.ssr) return;
      this.emitFile({
        type: "asset",
        fileName: "vendor/scalar-api-reference.js",
        source: readFileSync(require.resolve("@scalar/api-reference/browser/standalone.js")),
      });
    },
  };
}

/**
 * The server build leaves the modules it shares with the rest of the Worker (the domain, db, platform code and the
 * libraries both use) as imports, so wrangler bundles one copy of each into the Worker. A second copy would double the
 * bundle and break `instanceof` between the pages and the pages door (a DomainError thrown by one copy of the domain
 * is not an instance of the other's class).
 */
const sharedWithWorker = [/^#(domain|db|workers)\//, /^zod(\/|$)/, /^drizzle-orm(\/|$)/, /^@remix-run\/cloudflare$/];

function serverImportsShared(): Plugin {
  return {
    name: "perch:server-imports-shared",
    config: (_, { isSsrBuild }) =>
      isSsrBuild ? { build: { rollupOptions: { external: (id: string) => sharedWithWorker.some((pattern) => pattern.test(id)) } } } : {},
  };
}

/**
 * Source maps for the server build only, so workerd's stack traces point at our TypeScript rather than the bundle. The
 * browser's bundles get none: Remix warns against publishing them, and server traces are the ones we read.
 */
function serverSourceMaps(): Plugin {
  return {
    name: "perch:server-source-maps",
    config: (_, { isSsrBuild }) => (isSsrBuild ? { build: { sourcemap: true } } : {}),
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
    serverImportsShared(),
    serverSourceMaps(),
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
