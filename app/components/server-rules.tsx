/** The server's rules as people agree to them when they sign up (set on /admin/settings). */
export function ServerRules({ rules }: { rules: { id: string; text: string; hint: string }[] }) {
  if (rules.length === 0) return null;
  return (
    <section aria-labelledby="server-rules-heading" className="rounded-lg border border-line p-3">
      <h2 id="server-rules-heading" className="font-bold">
        This server's rules
      </h2>
      <p className="text-sm text-muted">By creating an account you agree to follow them.</p>
      <ol className="mt-2 list-decimal space-y-1 pl-5">
        {rules.map((rule) => (
          <li key={rule.id}>
            {rule.text}
            {rule.hint && <span className="block text-sm text-muted">{rule.hint}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
