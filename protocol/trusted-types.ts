// The one Trusted Types policy name the library uses, on the page and in its worker (each
// realm has its own policies, so the same name serves both).

export const POLICY_NAME = 'llama-chat';

/** What to tell a developer whose page would not let the library create its policy. */
export const TRUSTED_TYPES_ADVICE = `This page enforces Trusted Types and did not let the library create its policy "${POLICY_NAME}": add ${POLICY_NAME} (and lit-html) to the page's trusted-types directive (see the README's CSP section). If two copies of the library are on the page, load it once.`;
