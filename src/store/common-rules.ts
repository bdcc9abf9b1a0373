/**
 * The secret grammar IOS, IOS-XE, NX-OS and FRR share: they all write secrets as
 * `KEYWORD [type digit|encrypted|ascii|algorithm|id]... VALUE`. Platform files add their own
 * shapes (positional values, rest-of-line passwords) and free-text lines.
 */
import type { SecretKeyword, SecretRule, SecretRules } from './rules.js';
import { ALGORITHM, KEY_MATERIAL } from './secret-keywords.js';

/** `password`, `secret`, `passphrase`, and every `*-password`/`*-secret`/`*-psk`: `area-password`, `wpa-psk`, `shared-secret`. */
const password: SecretKeyword = {
  name: 'password/secret/passphrase',
  word: /^(?:[a-z0-9]+-)*(?:password|passwd|secret|passphrase|psk)$|^password-encrypt$/,
  // `password encryption aes`, NX-OS `password strength-check` / `password secure-mode` / `password prompt username`,
  // `aaa password restriction`, NX-OS `username U passphrase lifetime D warntime D gracetime D`,
  // `mpls ldp password required|option|fallback|rollover`; `ip msdp password peer A KEY` and the
  // passwords of `mpls ldp password option|fallback` are shapes.
  notBefore:
    /^(?:encryption|strength-check|secure-mode|prompt|policy|peer|required|option|fallback|rollover|restriction|lifetime|warntime|gracetime)$/,
  // `ip ssh server algorithm authentication publickey password keyboard`: method names.
  notOn: /^\s*ip ssh /,
};

/**
 * `key`, `key-string`, `key-octet-string` and every `*-key` that holds one (`authentication-key`,
 * `message-digest-key`, `pre-shared-key`, `server-key`, `set-key`), but not the `*-key` words that
 * name a public key, a master key command or a key id (`addressed-key`, `named-key`, `config-key`,
 * `trusted-key`).
 */
const key: SecretKeyword = {
  name: 'key',
  word: /^(?!(?:named|addressed|config|trusted|public|host|rsa)-key$)(?:(?:[a-z0-9]+-)+key|key(?:-string|-octet-string)?)$/,
  // `key chain K`, `crypto key generate rsa`, `ssh key rsa 2048`, `key config-key password-encrypt X`,
  // `set session-key inbound esp 256 cipher K` (a shape: its keys follow the direction and the SPI).
  notBefore:
    /^(?:chain|config-key|generate|zeroize|import|export|pubkey-chain|storage|decrypt|encrypt|move|lock|unlock|rsa|dsa|ec|ecdsa|ed25519|inbound|outbound)$/,
  // Ids, not keys: `ntp server A key 1 prefer` (the key itself is on `ntp authentication-key`), `key 1`
  // opening a key of a key chain, and the GRE `tunnel key 5`, which every packet carries in clear.
  notOn: /^\s*ntp (?:server|peer) |^\s*(?:tunnel )?key \d+\s*$/,
};

/**
 * SNMP communities (`snmp mib community-map C` too); `set community 65000:1` in a route-map is BGP, not
 * a secret. The community is the next word whatever it is: `snmp-server community 12345 RO`.
 */
const community: SecretKeyword = {
  name: 'snmp community',
  word: /^community(?:-map)?$/,
  on: /^\s*snmp(?:-server)? /,
  positional: true,
};

/**
 * SNMPv3 `auth sha X priv aes 128 Y` (NX-OS: `auth md5 0xKEY priv 0xKEY localizedkey`). The same
 * words name a security level (`snmp-server host A version 3 priv USER`, `group G v3 auth`), so the
 * value counts only after an algorithm or when it is hex key material.
 */
const authPriv: SecretKeyword = { name: 'auth/priv key', word: /^(?:auth|priv)$/, qualified: true };

/**
 * An algorithm followed by hex key material: OSPFv3 IPsec `spi 256 sha1 KEY`, `esp aes-cbc 128 KEY`,
 * NX-OS PIM `ah-md5 3 KEY`. Not `isis authentication mode md5 level-1` or `hash sha`.
 */
const algorithmKey: SecretKeyword = { name: 'algorithm key material', word: ALGORITHM, value: KEY_MATERIAL };

export const commonKeywords: readonly SecretKeyword[] = [password, key, community, authPriv, algorithmKey];

/**
 * The stems of {@link commonKeywords}: a line without one holds none of them. Each is written as
 * narrowly as the keywords use it, so the many lines holding a look-alike word are not read for
 * keywords they cannot hold (every other rule still tests them): `auth`, `priv`, `des` and `esp` are
 * whole keywords or the end of one (`3des`, `hmac-des`), not `description`, `authentication`,
 * `privilege`, `response`; `pass` goes on as `passw` or `passp`, not `passive-interface`; `sha` is
 * followed by no letter (`sha`, `sha1`, `sha-256`), not `shape`.
 */
export const commonMentions =
  /pass[wp]|secret|psk|key|community|auth\b|priv\b|md5|sha(?![a-z])|aes|des\b|esp\b/;

/** `scheme://user:password@host` in archive paths, kron and EEM `copy` commands: the password only, in every URL of a line. */
export const urlPassword: SecretRule = {
  name: 'user:password@ in a URL',
  match: /:\/\/[^\s/:@"]*:([^\s/"]*)@/,
};

/** BGP and LDP session passwords: the rest of the line, since IOS accepts spaces in them. */
export const neighborPassword: SecretRule = {
  name: 'neighbor password',
  match: /^\s*(?:mpls ldp )?neighbor \S+ password (?:\d )?(.+)$/,
};

/**
 * `ntp authentication-key N md5 VALUE 7`: the value is the third word; a short type-7 value of digits
 * (`0822`) would read as a key id, and the trailing type digit as the value.
 */
export const ntpAuthenticationKey: SecretRule = {
  name: 'ntp authentication-key',
  match: /^ntp authentication-key \d+ \S+ (\S+)/,
};

/** TrustSec manual mode's pairwise master key, printed in clear: `cts manual` / ` sap pmk KEY mode-list gcm-encrypt`. */
export const sapPmk: SecretRule = {
  name: 'cts manual sap pmk',
  match: /^\s+sap pmk (?!use-dot1x(?: |$))(\S+)/,
};

/** Free text: words in it are not keywords (`description password reset desk`). */
export const commonFreeText: readonly RegExp[] = [
  /^\s*(?:description|remark|name) /,
  /^\s*(?:\d+ )?remark /,
  /^snmp-server (?:location|contact) /,
];

/** Banners: `banner motd ^C` (IOS prints the delimiter as `^C`) or `banner motd #...#` (NX-OS). */
export const bannerBlock = /^banner \S+ (\^C|[^\s\w])/;

/** The grammar alone, for text of a platform that has no rules of its own. */
export const commonSecretRules: SecretRules = {
  keywords: commonKeywords,
  mentions: commonMentions,
  shapes: [neighborPassword, urlPassword],
  freeText: commonFreeText,
  textBlocks: [bannerBlock],
};
