/**
 * Which hosts an import may reach. A URL from a user is hostile input: it
 * must not reach the machine itself, the private network or a cloud
 * metadata service, unless the deployer names the host in IMPORT_ALLOW_HOSTS.
 */
import ipaddr from 'ipaddr.js';

/** Hosts and addresses named by IMPORT_ALLOW_HOSTS (comma-separated), lowercased. */
export function parseAllowHosts(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
      .filter((host) => host !== ''),
  );
}

/**
 * True for an address on the public internet: ipaddr.js names every special
 * range (loopback, private, link-local, multicast, carrier-grade NAT,
 * reserved, unspecified…); only "unicast" is public. An IPv6 address that
 * carries an IPv4 one (::ffff:10.0.0.1) is judged by the IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** Whether the host (as written in the URL) or the address it resolved to may be reached. */
export function mayConnect(host: string, address: string, allow: ReadonlySet<string>): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return allow.has(bare) || allow.has(address.toLowerCase()) || isPublicAddress(address);
}
