/**
 * Mastodon's pagination: a Link header whose "next" points at older items (max_id = the last id returned) and whose
 * "prev" points at newer ones (min_id = the first id returned), keeping the request's other parameters.
 */
export function paginationLinkHeader(requestUrl: string, origin: string, ids: string[]): string | undefined {
  const first = ids[0];
  const last = ids.at(-1);
  if (!first || !last) return undefined;
  const link = (cursor: "max_id" | "min_id", id: string) => {
    const url = new URL(requestUrl);
    const target = new URL(url.pathname, origin);
    for (const [key, value] of url.searchParams) {
      if (!["max_id", "min_id", "since_id"].includes(key)) target.searchParams.append(key, value);
    }
    target.searchParams.set(cursor, id);
    return target.toString();
  };
  return `<${link("max_id", last)}>; rel="next", <${link("min_id", first)}>; rel="prev"`;
}
