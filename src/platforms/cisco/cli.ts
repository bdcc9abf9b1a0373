/** Prompt shapes and login questions shared by the Cisco-like CLIs (device-reference §1.1, §1.2, §4.1). */

/** Hostnames of 1-63 characters from the set every well-known tool accepts (§1.2); an optional trailing space. */
export const hostname = String.raw`[\w.\-@/:]{1,63}`;
export const enablePrompt = new RegExp(String.raw`^${hostname}#\s?$`);
export const execPrompt = new RegExp(String.raw`^${hostname}>\s?$`);
/** `r1(config)#`, `r1(config-if)#`, `switch(config-router)#`. */
export const configPrompt = new RegExp(String.raw`^${hostname}\(config[\w.\-@/:+]{0,32}\)#\s?$`);

export const ciscoLogin = {
  username: /(?:user ?name|login)\s*:\s?$/i,
  password: /password:\s?$/i,
  failed: [
    /% Login invalid/,
    /% Bad passwords/,
    /Login incorrect/,
    /% Authentication failed/i,
    /Password required, but none set/,
  ],
} as const;

/** `configure terminal` from `#`, `end` back: the same on IOS, NX-OS and FRR. */
export const configurationLevel = {
  name: 'configuration',
  prompt: configPrompt,
  parent: 'privilege-exec',
  escalate: 'configure terminal',
  deescalate: 'end',
} as const;

/** The IOS table: login lands in `>`, `enable` (asking the enable secret) reaches `#`. */
export const execEnableAndConfiguration = [
  { name: 'exec', prompt: execPrompt },
  {
    name: 'privilege-exec',
    prompt: enablePrompt,
    parent: 'exec',
    escalate: 'enable',
    deescalate: 'disable',
    auth: { prompt: /^password:\s?$/i, secret: 'enable' },
  },
  configurationLevel,
] as const;

/** The table of OSes whose users land in `#` (NX-OS admins, FRR vtysh): no `>` level. */
export const enableAndConfiguration = [
  { name: 'privilege-exec', prompt: enablePrompt },
  configurationLevel,
] as const;

/** A pager prompt inside a captured config means paging was on and the capture is mangled. */
export const pagerPrompt = /--More--/;
