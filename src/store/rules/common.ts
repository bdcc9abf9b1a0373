/**
 * Secret rules that read the same on several platforms (IOS, NX-OS and FRR share much of the
 * Cisco-style syntax). `(?:\d+ )?` skips the encryption type digit (0, 3, 5, 6, 7, 8, 9).
 */
import type { SecretRule } from '../rules.js';

export const ospfAuthenticationKey: SecretRule = {
  name: 'ip ospf authentication-key',
  match: /^\s+ip ospf authentication-key (?:\d+ )?(\S+)/,
};

export const ospfMessageDigestKey: SecretRule = {
  name: 'ip ospf message-digest-key md5',
  match: /^\s+ip ospf message-digest-key \d+ md5 (?:\d+ )?(\S+)/,
};

/** BGP session password; the rest of the line, since IOS accepts spaces in it. */
export const neighborPassword: SecretRule = {
  name: 'neighbor password',
  match: /^\s*neighbor \S+ password (?:\d+ )?(.+)$/,
};

/** Key chains (`key chain K` / `key 1` / `key-string 7 ...`). A bare `key-string` opens a public key
 * block under `crypto key pubkey-chain`: public keys stay visible, an added one must show in a diff. */
export const keyString: SecretRule = {
  name: 'key-string',
  match: /^\s+key-string (?:\d+ )?(\S+)/,
};

/** `tacacs-server key 7 ...`, `radius-server host A auth-port 1645 key 7 ...`; NX-OS quotes the key. */
export const aaaServerKey: SecretRule = {
  name: 'tacacs-server/radius-server key',
  match: /^(?:tacacs|radius)-server (?:.* )?key (?:\d+ )?("[^"]*"|\S+)/,
};

/** `ntp authentication-key 1 md5 VALUE [7]`: the type digit comes after the value. */
export const ntpAuthenticationKey: SecretRule = {
  name: 'ntp authentication-key',
  match: /^ntp authentication-key \d+ md5 (\S+)/,
};

export const isisPassword: SecretRule = {
  name: 'isis area/domain password',
  match: /^\s*(?:area|domain)-password (?:clear |md5 |\d+ )?(\S+)/,
};

export const snmpCommunity: SecretRule = {
  name: 'snmp-server community',
  match: /^snmp-server community (\S+)/,
};

/**
 * SNMPv3 user keys: IOS `snmp-server user U GROUP v3 auth sha KEY priv aes 128 KEY`, NX-OS
 * `snmp-server user U [ROLE...] auth md5 0xKEY priv [aes-128] 0xKEY localizedkey`.
 */
export const snmpUserKeys: SecretRule = {
  name: 'snmp-server user auth/priv keys',
  match: /^snmp-server user \S+ .*?\bauth \S+ (\S+)(?: priv (?:aes[- ]\d+ |3?des )?(\S+))?/,
};
