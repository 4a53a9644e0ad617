/** Who the GitHub stand-in says signed in. */
export const standInUser = { id: 5150, login: "stand-in-octocat", name: "Stand-in Octocat", email: "octocat@stand-in.test" };
