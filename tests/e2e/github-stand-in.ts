import type { IncomingMessage, ServerResponse } from "node:http";
import { OAuth2Server } from "oauth2-mock-server";
import { flag } from "../../scripts/run.ts";
import { standInUser } from "./stand-in-github-user.ts";

/**
 * A local OAuth 2 server standing in for GitHub in the browser tests (oauth2-mock-server), with GitHub's two API
 * routes Perch reads after signing in: /user and /user/emails. Its /authorize approves at once and redirects back.
 */
const PORT = Number(flag("--port", "8789"));

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};
const authorized = (req: IncomingMessage) => req.headers.authorization?.startsWith("Bearer ");

server.service.addRoute("GET", "/user", (req, res) => {
  if (!authorized(req)) return void res.writeHead(401).end();
  json(res, { id: standInUser.id, login: standInUser.login, name: standInUser.name });
});
server.service.addRoute("GET", "/user/emails", (req, res) => {
  if (!authorized(req)) return void res.writeHead(401).end();
  json(res, [{ email: standInUser.email, primary: true, verified: true }]);
});

await server.start(PORT, "localhost");
console.log(`GitHub stand-in listening on ${server.issuer.url}`);
