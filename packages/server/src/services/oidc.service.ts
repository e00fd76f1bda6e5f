import { AppError } from "@safecity/core";
import * as client from "openid-client";

/**
 * Optional sign-in with OpenID Connect (e.g. Microsoft Entra ID), configured by environment:
 *   SAFECITY_OIDC_ISSUER          issuer URL; for Entra ID the tenant-specific
 *                                 https://login.microsoftonline.com/<tenant id>/v2.0 (never /common)
 *   SAFECITY_OIDC_CLIENT_ID       application (client) id
 *   SAFECITY_OIDC_CLIENT_SECRET   client secret (omit for a public client; PKCE is always used)
 *   SAFECITY_OIDC_LABEL           button text (default "Sign in with your organisation account")
 *   SAFECITY_OIDC_REDIRECT_URI    the callback URL as the browser sees it (default: this request's
 *                                 origin + /login/oidc/callback; set it behind a reverse proxy)
 * The redirect URI to register is `<server origin>/login/oidc/callback`.
 * Only existing, enabled users can sign in: the ID token's `email` (or, for Entra ID,
 * `preferred_username`) must match a user an administrator created. http issuers are accepted
 * only on loopback addresses (local testing).
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  label: string;
  redirectUri: string | null;
}

export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv): OidcSettings | null {
  const issuer = env.SAFECITY_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.SAFECITY_OIDC_CLIENT_ID?.trim();
  const problems: string[] = [];
  let url: URL | null = null;
  try {
    url = new URL(issuer);
  } catch {
    problems.push(`SAFECITY_OIDC_ISSUER must be a URL; got \`${issuer}\``);
  }
  if (url && url.protocol !== "https:" && !isLoopback(url)) problems.push("SAFECITY_OIDC_ISSUER must be https (http only for localhost)");
  if (!clientId) problems.push("SAFECITY_OIDC_CLIENT_ID is required when SAFECITY_OIDC_ISSUER is set");
  if (problems.length) throw new AppError("config.invalid", `OpenID Connect configuration is invalid:\n  - ${problems.join("\n  - ")}`);
  return {
    issuer,
    clientId: clientId!,
    clientSecret: env.SAFECITY_OIDC_CLIENT_SECRET?.trim() || null,
    label: env.SAFECITY_OIDC_LABEL?.trim() || "Sign in with your organisation account",
    redirectUri: env.SAFECITY_OIDC_REDIRECT_URI?.trim() || null,
  };
}

function isLoopback(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";
}

/** What must survive the round trip to the provider (kept in an HttpOnly cookie). */
export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  next: string;
}

export class OidcClient {
  private config: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcSettings) {}

  private configuration(): Promise<client.Configuration> {
    this.config ??= (async () => {
      const { issuer, clientId, clientSecret } = this.settings;
      const url = new URL(issuer);
      const auth = clientSecret ? client.ClientSecretPost(clientSecret) : client.None();
      const options = isLoopback(url) && url.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : undefined;
      return client.discovery(url, clientId, clientSecret ? { client_secret: clientSecret } : undefined, auth, options);
    })().catch((e) => {
      this.config = undefined;
      throw new AppError("auth.oidc_failed", `Could not reach the sign-in provider (${(e as Error).message})`);
    });
    return this.config;
  }

  /** The provider's authorization URL (code flow, PKCE S256, state, nonce) and what to remember. */
  async begin(redirectUri: string, next: string): Promise<{ url: string; pending: OidcPending }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const pending: OidcPending = { state: client.randomState(), nonce: client.randomNonce(), verifier, redirectUri, next };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid email profile",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code (checking state, nonce, PKCE and the ID token) and returns the email it names. */
  async finish(callbackUrl: URL, pending: OidcPending): Promise<{ email: string; subject: string }> {
    const config = await this.configuration();
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      claims = idToken ? { ...idToken } : undefined;
      // Providers may keep scope claims out of the ID token (node-oidc-provider does by default):
      // then ask the UserInfo endpoint, which checks the subject matches.
      if (idToken && typeof idToken.email !== "string" && config.serverMetadata().userinfo_endpoint) {
        claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...claims };
      }
    } catch (e) {
      throw new AppError("auth.oidc_failed", `Sign-in with the provider failed (${(e as Error).message})`);
    }
    const email = [claims?.email, claims?.preferred_username].find((v): v is string => typeof v === "string" && v.includes("@"));
    if (!claims || !email) throw new AppError("auth.oidc_failed", "The provider did not say which email address you signed in with");
    return { email: email.toLowerCase(), subject: String(claims.sub) };
  }
}
