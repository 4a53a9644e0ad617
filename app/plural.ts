const rules = new Intl.PluralRules("en");

/** A noun's two English forms. */
export type Forms = { one: string; other: string };

/** The noun's form for a count by the language's plural rules (Intl.PluralRules): "like" for 1, "likes" for 0 and 2. */
export function pluralOf(count: number, forms: Forms): string {
  return rules.select(count) === "one" ? forms.one : forms.other;
}

/** A count with its noun: "1 like", "0 likes", "2 likes". */
export function countOf(count: number, forms: Forms): string {
  return `${count} ${pluralOf(count, forms)}`;
}
