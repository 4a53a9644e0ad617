import { VectorIndexError, type VectorMetadata } from "./vector-index.ts";

type Scalar = string | number | boolean | null;

/**
 * Vectorize's metadata filter, evaluated in memory: every field must match; a bare value means $eq; dotted field
 * names reach into nested metadata. A field missing from the metadata matches only $ne and $nin, as in Vectorize.
 */
export function matchesFilter(metadata: VectorMetadata | undefined, filter: VectorizeVectorMetadataFilter): boolean {
  return Object.entries(filter).every(([field, condition]) => {
    const value = lookup(metadata, field);
    if (condition === null || typeof condition !== "object" || Array.isArray(condition)) {
      return value === condition;
    }
    return Object.entries(condition).every(([operator, operand]) => compare(value, operator, operand as Scalar | Scalar[]));
  });
}

function lookup(metadata: VectorMetadata | undefined, field: string): unknown {
  let current: unknown = metadata;
  for (const part of field.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function compare(value: unknown, operator: string, operand: Scalar | Scalar[]): boolean {
  switch (operator) {
    case "$eq":
      return value === operand;
    case "$ne":
      return value !== operand;
    case "$in":
      return Array.isArray(operand) && operand.includes(value as Scalar);
    case "$nin":
      return Array.isArray(operand) && !operand.includes(value as Scalar);
    case "$lt":
      return comparable(value, operand) && (value as number) < (operand as number);
    case "$lte":
      return comparable(value, operand) && (value as number) <= (operand as number);
    case "$gt":
      return comparable(value, operand) && (value as number) > (operand as number);
    case "$gte":
      return comparable(value, operand) && (value as number) >= (operand as number);
    default:
      throw new VectorIndexError(`Unsupported metadata filter operator ${operator}`);
  }
}

/** Range operators compare numbers with numbers and strings with strings, never across types. */
function comparable(value: unknown, operand: unknown): boolean {
  return (typeof value === "number" || typeof value === "string") && typeof value === typeof operand;
}
