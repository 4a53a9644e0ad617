import type { ReactNode } from "react";

/** The narrow, centred column that sign-up, log-in and recovery pages share. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children?: ReactNode }) {
  return (
    <section aria-labelledby="auth-title" className="mx-auto flex max-w-md flex-col gap-6 px-6 py-10">
      <div>
        <h1 id="auth-title" className="text-2xl font-bold">
          {title}
        </h1>
        {intro && <div className="mt-2 text-muted">{intro}</div>}
      </div>
      {children}
    </section>
  );
}
