const copy: Record<number, { title: string; body: string }> = {
  400: { title: "That request didn't make sense", body: "Something in the address isn't quite right." },
  403: { title: "You can't see this", body: "This page isn't available to you." },
  404: { title: "Page not found", body: "This page doesn't exist, or it has been removed." },
  500: { title: "Something went wrong", body: "It's our fault, not yours. We've logged it; please try again in a moment." },
};

/**
 * The friendly face of every error. A 4xx may explain itself (the message is written for people by the code that
 * threw it); a 5xx never shows details, which stay in the server log.
 */
export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const { title, body } = copy[status] ?? (status >= 500 ? copy[500]! : copy[400]!);
  const detail = status < 500 ? message : undefined;
  return (
    <section aria-labelledby="error-heading" className="px-6 py-16 text-center">
      <p className="text-sm font-semibold text-accent">Error {status}</p>
      <h1 id="error-heading" className="mt-2 text-3xl font-bold">
        {title}
      </h1>
      <p className="mx-auto mt-4 max-w-md text-muted">{detail ?? body}</p>
      <p className="mt-8">
        <a href="/" className="rounded-full bg-accent px-5 py-2.5 font-semibold text-accent-ink">
          Go to the latest posts
        </a>
      </p>
    </section>
  );
}
