export * from "./accounts.ts";
export * from "./background.ts";
export * from "./graph.ts";
export * from "./posts.ts";
