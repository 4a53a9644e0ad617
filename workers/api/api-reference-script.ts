/**
 * Where the API reference page loads Scalar from. The name carries Scalar's version, so it changes whenever the file
 * does and browsers may cache it for a year (public/_headers); the build refuses a name that does not match the
 * installed version (vite.config.ts).
 */
export const apiReferenceScript = "/vendor/scalar-api-reference-1.46.4.js";
