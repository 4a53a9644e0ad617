import { notFound } from "#app/responses.server.ts";

/** Any path no other route claims is a 404, rendered by the root error boundary inside the app shell. */
export function loader(): never {
  throw notFound();
}

export default function NotFound() {
  return null;
}
