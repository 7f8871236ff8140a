/**
 * How long the socket's token lives from now, in ms: its own `exp − iat` when it is a JWT (counted on the hub's
 * clock, so a device's clock set wrong does not matter; a token is handed over fresh), else `expiresAt` as the hub
 * said it, against this device's clock. Undefined when neither can be read.
 */
export function tokenLifetimeMs(token: string, expiresAt: unknown): number | undefined {
  const claims = jwtClaims(token);
  if (claims !== undefined && typeof claims.exp === 'number' && typeof claims.iat === 'number' && claims.exp > claims.iat) {
    return (claims.exp - claims.iat) * 1000;
  }
  const at = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function jwtClaims(token: string): { exp?: unknown; iat?: unknown } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  try {
    const claims: unknown = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims !== null && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}
