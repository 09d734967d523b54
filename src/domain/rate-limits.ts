/**
 * What is limited, and how much. Counting is the RateLimiter port's (shared-state.ts): fixed one-hour windows, as
 * GitHub counts them. API requests are counted per user over all of their tokens (GitHub's rule), anonymous ones per
 * client network (clientNetworkKey).
 */
export { RATE_LIMIT_WINDOW_MS } from './shared-state.ts';

export const AUTHENTICATED_LIMIT_PER_HOUR = 5000;
export const ANONYMOUS_LIMIT_PER_HOUR = 60;
/** Sign-in and sign-up attempts per client address: each costs an Argon2 hash, and each is a password guess. */
export const SIGN_IN_ATTEMPTS_PER_HOUR = 60;
/**
 * Failed token authentications (unknown, expired or malformed credentials) per client address before every request
 * from it is refused for the rest of the hour. A person who mistyped gets dozens of tries; a guesser gets nowhere.
 */
export const FAILED_AUTHENTICATIONS_PER_HOUR = 100;

/**
 * The key a client address is counted under. IPv6 clients are grouped by their /64, the block one subscriber
 * usually gets (RFC 6177), so cycling through one's own addresses buys no extra requests. IPv4 is kept whole, and an
 * IPv4-mapped IPv6 address is counted as the IPv4 address it carries.
 */
export function clientNetworkKey(address: string): string {
  // Consecutive requests mostly come from one address (one client, or a proxy in front of many): remember the last.
  if (address !== lastAddress) {
    lastNetwork = networkOf(address);
    lastAddress = address;
  }
  return lastNetwork;
}

let lastAddress = '';
let lastNetwork = networkOf(lastAddress);

function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...headGroups, ...Array<string>(Math.max(8 - headGroups.length - tailGroups.length, 0)).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
