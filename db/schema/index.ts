export * from "./accounts.ts";
export * from "./attachments.ts";
export * from "./background.ts";
export * from "./clients.ts";
export * from "./graph.ts";
export * from "./identity.ts";
export * from "./notifications.ts";
export * from "./posts.ts";
